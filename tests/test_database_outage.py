"""A database outage answers a styled 503 with Retry-After, to guests and signed-in users alike."""
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support import databases

PAGES = ["/", "/orders", "/cart", "/search?q=tea", "/listings/1", "/cooperatives/1"]


def assert_outage_page(client, path):
    response = client.get(path)
    assert response.status_code == 503, (path, response.status_code)
    assert response.headers["Retry-After"] == "30"
    if path.startswith("/api/"):
        return
    if response.headers.get("Location"):
        return
    page = response.get_data(as_text=True)
    assert "Temporarily unavailable" in page and 'class="error-page"' in page
    assert "site.css" in page  # the site's own look, not a bare error


@pytest.fixture
def signed_in_client(app, client, login, make_user):
    user = make_user()
    login(user)
    assert client.get("/orders").status_code == 200
    return client


def _break_sqlite(app, how: str) -> None:
    from marketplace.extensions import db

    db.session.remove()
    db.engine.dispose()
    databases.remove_sqlite_files(app.config["SQLALCHEMY_DATABASE_URI"])
    path = Path(sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
    if how == "not a database":
        path.write_bytes(b"this is not a database file" * 200)
    else:  # the file cannot be opened at all
        path.mkdir()


@pytest.mark.parametrize("how", ["not a database", "cannot be opened"])
def test_an_unreadable_sqlite_answers_503_with_retry_after(app, signed_in_client, client, how):
    if databases.backend() != "sqlite":
        pytest.skip("SQLite only")
    _break_sqlite(app, how)
    for path in PAGES:
        assert_outage_page(signed_in_client, path)
    guest = app.test_client()
    assert_outage_page(guest, "/")
    assert guest.post("/login", data={"email": "a@example.com", "password": "x" * 12}).status_code == 503


def test_a_postgresql_stopped_mid_test_answers_503_and_pages_come_back_with_it(tmp_path, app_config):
    if databases.backend() != "postgresql":
        pytest.skip("PostgreSQL only")
    from marketplace import create_app
    from marketplace.extensions import db
    from tests.conftest import _isolated_client_class
    from tests.support.factories import PASSWORD
    from tests.support.postgres import PostgresCluster

    cluster = PostgresCluster().start()  # our own cluster, so that stopping it harms no other test
    try:
        admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE outage")
        admin.dispose()
        databases.build_schema(cluster.url("outage"))
        app = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI=cluster.url("outage")))
        app.test_client_class = _isolated_client_class()
        with app.app_context():
            from marketplace.accounts.models import User
            from werkzeug.security import generate_password_hash

            db.session.add(User(email="buyer@example.com", display_name="Buyer", session_token="t" * 32,
                                password_hash=generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")))
            db.session.commit()
            client = app.test_client()
            assert client.post("/login", data={"email": "buyer@example.com", "password": PASSWORD}).status_code == 302
            assert client.get("/orders").status_code == 200

            cluster._run(str(cluster.bindir / "pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "stop")
            for path in PAGES:
                assert_outage_page(client, path)
            db.session.remove()
            db.engine.dispose()
    finally:
        cluster.stop()
