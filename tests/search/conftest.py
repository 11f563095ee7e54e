"""Every search test runs on each backend the database allows: Whoosh always, PostgreSQL
full-text search when the suite runs on PostgreSQL (TERROIR_TEST_DB=postgresql)."""
from __future__ import annotations

import pytest

from tests.support import databases


def pytest_generate_tests(metafunc):
    """Run on every backend, unless the test names its own (a fault only one backend has)."""
    own = [m for m in metafunc.definition.iter_markers("parametrize") if "search_backend" in str(m.args[0])]
    if "search_backend" in metafunc.fixturenames and not own:
        names = ["whoosh"] + (["postgres"] if databases.backend() == "postgresql" else [])
        metafunc.parametrize("search_backend", names)


@pytest.fixture
def app_config(app_config, search_backend):
    return {**app_config, "SEARCH_BACKEND": search_backend}

