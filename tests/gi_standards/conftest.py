"""Fixtures of the gi_standards tests: the packaged catalogue and small factories."""
from __future__ import annotations

import pytest

from gi_standards import load_catalogue
from tests.gi_standards import documents


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture
def make_standard():
    """Build a Standard from the base document with some top-level keys changed."""

    def make(**changes):
        doc = documents.base_doc()
        doc.update(changes)
        return documents.build_standard(doc)

    return make


@pytest.fixture
def make_declaration():
    return documents.declaration
