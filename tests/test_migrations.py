"""The migrations alone build the schema the models describe, on SQLite and PostgreSQL."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.core.database import migration_includes
from marketplace.extensions import db


def test_upgrade_builds_the_models_schema_from_an_empty_database(database_factory, tmp_path):
    url = database_factory.new()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        # Start truly empty: drop what the test template put there.
        db.metadata.drop_all(connection)
    engine.dispose()

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True,
                "include_object": migration_includes(connection.dialect.name),
            })
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_app_start_creates_no_tables(database_factory, tmp_path):
    url = database_factory.new()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        db.metadata.drop_all(connection)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    app.test_client().get("/static/css/site.css").close()
    assert sa.inspect(engine).get_table_names() == []
    engine.dispose()


def test_migrated_audit_log_refuses_changes_at_the_database_level(database_factory, tmp_path):
    """Even SQL that bypasses the ORM cannot rewrite history."""
    url = database_factory.new()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        db.metadata.drop_all(connection)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO audit_entries (created_at, action, subject_type, subject_id, reason, public, details)"
            " VALUES (CURRENT_TIMESTAMP, 'test.done', 'test', '1', '', false, '{}')"))
    for statement in ("UPDATE audit_entries SET reason = 'rewritten'", "DELETE FROM audit_entries"):
        with pytest.raises(sa.exc.DatabaseError):
            with engine.begin() as connection:
                connection.execute(sa.text(statement))
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT reason FROM audit_entries")).scalar() == ""
    engine.dispose()
