"""Addresses stored before they were folded are folded by the migration, so their owners
keep signing in; a folded form another account holds is left alone."""
import sqlalchemy as sa
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.extensions import db


def test_the_migration_folds_stored_addresses(database_factory, tmp_path):
    url = database_factory.new()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        db.metadata.drop_all(connection)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path),
                      "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="ba6e526fd506")
        with db.engine.begin() as connection:
            for email in ("ｆａｒｍｅｒ@example。com", "plain@example.com", "ｐｌａｉｎ@example.com"):
                connection.execute(sa.text(
                    "INSERT INTO users (email, display_name, password_hash, is_supervisor, is_active_account,"
                    " session_token, created_at) VALUES (:email, 'x', 'x', false, true, 't', CURRENT_TIMESTAMP)"),
                    {"email": email})
        upgrade(revision="c12a00000001")
        with db.engine.connect() as connection:
            stored = set(connection.execute(sa.text("SELECT email FROM users")).scalars())
            pending = connection.execute(sa.text(
                "SELECT count(*) FROM users WHERE sign_up_pending_since IS NOT NULL")).scalar()
        db.engine.dispose()
    engine.dispose()
    assert stored == {"farmer@example.com", "plain@example.com", "ｐｌａｉｎ@example.com"}
    assert pending == 0
