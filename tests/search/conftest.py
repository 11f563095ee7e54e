"""Every search test runs on each backend the database allows: Whoosh always, PostgreSQL
full-text search when the suite runs on PostgreSQL (TERROIR_TEST_DB=postgresql)."""
from __future__ import annotations

import pytest

from tests.support import databases


def pytest_generate_tests(metafunc):
    if "search_backend" in metafunc.fixturenames:
        names = ["whoosh"] + (["postgres"] if databases.backend() == "postgresql" else [])
        metafunc.parametrize("search_backend", names)


@pytest.fixture
def app_config(app_config, search_backend):
    return {**app_config, "SEARCH_BACKEND": search_backend}

