"""Fixtures shared by every area: an app on a fresh database per test, and factories.

`TERROIR_TEST_DB=postgresql` runs the same tests on a throwaway PostgreSQL cluster that
the session starts on 127.0.0.1; with CI=true a missing PostgreSQL fails the run.
"""
from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile

import pytest

# Keep the app's local state (generated secret key, outbox…) out of the working tree, in a
# folder made once per run (the workers inherit it) and removed when the run ends.
if "TERROIR_INSTANCE_PATH" not in os.environ:
    os.environ["TERROIR_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="terroir-instance-")
    atexit.register(shutil.rmtree, os.environ["TERROIR_INSTANCE_PATH"], ignore_errors=True)
os.environ.pop("DATABASE_URL", None)

from tests.support import databases  # noqa: E402
from tests.support.factories import *  # noqa: E402,F401,F403

PASSWORD = "correct-horse-battery"


def pytest_report_header(config):
    return f"terroir database backend: {databases.backend()}"


def pytest_terminal_summary(terminalreporter):
    """Print the relevance set's precision at 5 (recorded by tests/search/test_relevance.py, on any worker)."""
    lines = [value for reports in terminalreporter.stats.values() for report in reports
             for name, value in getattr(report, "user_properties", ()) if name == "precision_at_5"]
    if lines:
        terminalreporter.section("search relevance")
        for line in sorted(set(lines)):
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory):
    if databases.backend() == "postgresql":
        from tests.support.postgres import PostgresCluster, PostgresUnavailable

        try:
            cluster = PostgresCluster().start()
        except PostgresUnavailable as error:
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL is required in CI: {error}")
            pytest.skip(f"PostgreSQL not available: {error}")
        try:
            factory = databases.PostgresDatabases(cluster)
            yield factory
            factory.close()
        finally:
            cluster.stop()
    else:
        yield databases.SqliteDatabases(tmp_path_factory.mktemp("db"))


#: The databases to drop when the test ends, once every connection to them is closed.
DATABASES_TO_DROP = pytest.StashKey[list]()


@pytest.fixture
def app_config(database_factory, tmp_path, request):
    url = database_factory.new()
    request.node.stash.setdefault(DATABASES_TO_DROP, []).append((database_factory, url))
    return {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Requests without a language (HTTP clients in concurrency tests) read English.
        "BABEL_DEFAULT_LOCALE": "en",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        # Links are built on this address; requests naming another host are refused.
        "PUBLIC_URL": "http://localhost",
    }


def _isolated_client_class():
    """A test client whose every request runs in its own app context, as in production.

    The tests hold an app context open to use the database; without this, requests would
    share it, and with it `g` (where Flask-Login caches the user) and the db session.
    """
    from flask.testing import FlaskClient

    from marketplace.extensions import db

    class IsolatedClient(FlaskClient):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Tests read English messages unless they ask for Chinese (lang cookie "zh").
            self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

        def open(self, *args, **kwargs):
            # End the test's own transaction on both sides, so that neither side reads
            # through an old snapshot of the other's writes.
            db.session.commit()
            with self.application.app_context():
                response = super().open(*args, **kwargs)
            db.session.commit()
            return response

    return IsolatedClient


@pytest.fixture(autouse=True)
def _close_every_connection_the_test_opened(request):
    """Stop the mail senders of apps the test built, close every connection it opened, drop its database.

    Tests that call `create_app` directly (start-up checks, proxies, migrations, outages)
    would otherwise leave a sender thread holding a connection; a live server may still be
    answering a request. See `tests.support.connections` for why the end waits for them.
    """
    from marketplace.core.mailer import background
    from marketplace.extensions import db
    from tests.support.connections import ConnectionWatch

    watch = ConnectionWatch().start()
    before = set(db._app_engines.keys())
    yield
    built = [application for application in list(db._app_engines.keys()) if application not in before]
    for application in built:
        background.shutdown(application)  # its sender thread may hold a connection
    engines = [engine for application in built for engine in db._app_engines[application].values()]
    never_back = watch.close_all(engines=engines)
    for factory, url in request.node.stash.get(DATABASES_TO_DROP, []):
        factory.drop(url)
    assert never_back == 0, f"{never_back} connection(s) checked out during the test never came back"


@pytest.fixture
def app(app_config):
    from marketplace import create_app
    from marketplace.extensions import db

    application = create_app(app_config)
    databases.make_test_thread_write_like_the_app()
    application.test_client_class = _isolated_client_class()
    with application.app_context():
        yield application
        from marketplace.core.mailer import background

        background.shutdown(application)  # its threads use this database: let them finish
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """Read the mail the app has sent so far (waiting, bounded, for what was committed)."""
    from tests.support.mail import read_sent_mail

    return lambda: read_sent_mail(app)
from tests.support.factories_certification import *  # noqa: E402,F401,F403
from tests.support.factories_catalog import *  # noqa: E402,F401,F403
from tests.support.factories_search import *  # noqa: E402,F401,F403
from tests.support.factories_orders import *  # noqa: E402,F401,F403
from tests.support.factories_insights import *  # noqa: E402,F401,F403
