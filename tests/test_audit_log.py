"""The audit log survives its owner: triggers, an app role that owns nothing, and a hash chain."""
import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.core.audit import record, verify_chain
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from tests.support import databases

INSERT_ROW = ("INSERT INTO audit_entries (id, created_at, action, subject_type, subject_id, reason, public, details)"
              " VALUES ({id}, CURRENT_TIMESTAMP, 'test.done', 'test', '1', '{reason}', false, '{{}}')")


def migrated_database(database_factory, tmp_path) -> str:
    """A database built by the migrations alone (with their triggers), empty."""
    url = database_factory.new()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        db.metadata.drop_all(connection)
    engine.dispose()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path),
                      "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def migrated_app(database_factory, tmp_path, app_config):
    url = migrated_database(database_factory, tmp_path)
    application = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI=url))
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def record_rows(count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        with write_transaction():
            record("test.decided", "test", number, reason=f"decision {number}", county_code="330106",
                   public=number % 2 == 0, grade="premium", values=[1, 2.5, "三"])


def as_owner_without_triggers(statement: str) -> None:
    """Change the log as its owner would, triggers set aside (what the chain must still catch)."""
    engine = db.engine
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit_entries DISABLE TRIGGER USER")
            connection.exec_driver_sql(statement)
            connection.exec_driver_sql("ALTER TABLE audit_entries ENABLE TRIGGER USER")
        else:
            triggers = connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entries'").all()
            assert triggers, "the migrations made the log append-only"
            for name, _sql in triggers:
                connection.exec_driver_sql(f"DROP TRIGGER {name}")
            connection.exec_driver_sql(statement)
            for _name, sql in triggers:
                connection.exec_driver_sql(sql)


def verify(runner, *args):
    result = runner.invoke(args=["audit", "verify", *args])
    return result.exit_code, result.output


def test_truncate_and_replace_are_refused_like_update_and_delete(database_factory, tmp_path):
    engine = sa.create_engine(migrated_database(database_factory, tmp_path))
    with engine.begin() as connection:
        connection.exec_driver_sql(INSERT_ROW.format(id=1, reason=""))
    if engine.dialect.name == "postgresql":
        attacks = ["TRUNCATE audit_entries", "TRUNCATE audit_entries CASCADE"]
    else:
        attacks = [INSERT_ROW.replace("INSERT", "INSERT OR REPLACE").format(id=1, reason="rewritten"),
                   INSERT_ROW.replace("INSERT", "REPLACE").format(id=1, reason="rewritten")]
    attacks += ["UPDATE audit_entries SET reason = 'rewritten'", "DELETE FROM audit_entries"]
    for statement in attacks:
        with pytest.raises(sa.exc.DatabaseError):
            with engine.begin() as connection:
                connection.exec_driver_sql(statement)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT id, reason FROM audit_entries").all() == [(1, "")]
    engine.dispose()


def test_verify_proves_the_chain_whole_and_reports_a_changed_row(migrated_app):
    runner = migrated_app.test_cli_runner()
    record_rows(6)
    code, output = verify(runner)
    assert code == 0 and "6 audit rows, chain intact" in output
    ids = db.session.scalars(sa.text("SELECT id FROM audit_entries ORDER BY id")).all()

    as_owner_without_triggers(f"UPDATE audit_entries SET reason = 'nothing to see' WHERE id = {ids[2]}")
    code, output = verify(runner)
    assert code != 0 and f"row {ids[2]}: was changed" in output and "not intact" in output


@pytest.mark.parametrize("column, value", [("subject_id", "'2'"), ("created_at", "created_at"),
                                           ("public", "NOT public"), ("details", "'{\"grade\": \"first\"}'")])
def test_any_changed_column_breaks_the_chain(migrated_app, column, value):
    record_rows(3)
    first = db.session.scalar(sa.text("SELECT min(id) FROM audit_entries"))
    if column == "created_at":
        value = ("created_at + interval '1 second'" if db.engine.dialect.name == "postgresql"
                 else "datetime(created_at, '+1 second')")
    as_owner_without_triggers(f"UPDATE audit_entries SET {column} = {value} WHERE id = {first + 1}")
    db.session.rollback()
    report = verify_chain()
    assert [row for row, _problem in report.problems] == [first + 1]


def test_verify_reports_rows_removed_from_the_middle_the_start_or_the_end(migrated_app):
    runner = migrated_app.test_cli_runner()
    record_rows(5)
    ids = db.session.scalars(sa.text("SELECT id FROM audit_entries ORDER BY id")).all()
    head = verify(runner)[1].split("Head: ")[1].strip()

    as_owner_without_triggers(f"DELETE FROM audit_entries WHERE id = {ids[4]}")
    assert verify(runner)[0] == 0, "a shorter chain is still a chain…"
    code, output = verify(runner, "--expect-head", head)
    assert code != 0 and "rows were removed from its end" in output  # …but not the one noted earlier

    as_owner_without_triggers(f"DELETE FROM audit_entries WHERE id = {ids[2]}")
    code, output = verify(runner)
    assert code != 0 and f"row {ids[3]}: does not follow row {ids[1]}" in output

    as_owner_without_triggers(f"DELETE FROM audit_entries WHERE id = {ids[0]}")
    code, output = verify(runner)
    assert code != 0 and f"row {ids[1]}: does not start the chain" in output


def test_concurrent_writers_keep_one_unbroken_chain(migrated_app):
    errors = []

    def writer(start):
        try:
            with migrated_app.app_context():
                record_rows(5, start)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n * 100,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    db.session.rollback()
    report = verify_chain()
    assert report.intact and report.checked == 40, report.problems
    links = db.session.scalars(sa.text("SELECT previous_hash FROM audit_entries")).all()
    assert len(set(links)) == 40  # no two rows follow the same row: the chain never forked


def test_a_rolled_back_decision_leaves_no_audit_row(migrated_app):
    with pytest.raises(RuntimeError):
        with write_transaction():
            record("test.decided", "test", 1)
            raise RuntimeError("the decision failed")
    record_rows(1)
    db.session.rollback()
    assert verify_chain().checked == 1


def test_an_app_role_that_owns_nothing_cannot_change_or_empty_the_log(database_factory, tmp_path, app_config):
    if databases.backend() != "postgresql":
        pytest.skip("roles and privileges are PostgreSQL's")
    owner_url = migrated_database(database_factory, tmp_path)
    owner = sa.create_engine(owner_url)
    with owner.begin() as connection:
        connection.exec_driver_sql("DO $$ BEGIN CREATE ROLE terroir_app LOGIN; "
                                   "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        connection.exec_driver_sql(f"GRANT CONNECT ON DATABASE {sa.engine.make_url(owner_url).database} "
                                   "TO terroir_app")
    app_url = sa.engine.make_url(owner_url).set(username="terroir_app").render_as_string(hide_password=False)

    # The README's production steps: the owner runs what `flask audit app-role-sql` prints.
    application = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI=owner_url))
    grants = application.test_cli_runner().invoke(args=["audit", "app-role-sql", "terroir_app"]).output
    with owner.begin() as connection:
        for statement in filter(None, (line.strip().rstrip(";") for line in grants.splitlines())):
            connection.exec_driver_sql(statement)

    # The app, connected as that role, works: it appends audit rows and changes other tables.
    app = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI=app_url))
    with app.app_context():
        record_rows(3)
        with write_transaction():
            db.session.execute(sa.text("INSERT INTO counties (code, name_zh, name_en, city_zh, city_en, "
                                       "province_zh, province_en) VALUES ('999999', '县', 'County', '市', "
                                       "'City', '省', 'Province')"))
        assert verify_chain().intact
        db.session.remove()
        db.engine.dispose()

    role = sa.create_engine(app_url)
    for statement in ["UPDATE audit_entries SET reason = 'rewritten'", "DELETE FROM audit_entries",
                      "TRUNCATE audit_entries", "ALTER TABLE audit_entries DISABLE TRIGGER USER",
                      "DROP TRIGGER audit_entries_append_only ON audit_entries", "DROP TABLE audit_entries",
                      "ALTER TABLE audit_entries OWNER TO terroir_app",
                      "UPDATE alembic_version SET version_num = 'x'"]:
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied|must be owner"):
            with role.begin() as connection:
                connection.exec_driver_sql(statement)
    with role.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM audit_entries").scalar() == 3
    role.dispose()
    owner.dispose()


def test_rows_written_before_the_chain_existed_are_chained_by_the_migration(database_factory, tmp_path,
                                                                            app_config):
    url = database_factory.new()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        db.metadata.drop_all(connection)
    app = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        upgrade(revision="ba6e526fd506")
        with db.engine.begin() as connection:
            for number in range(1, 4):
                connection.exec_driver_sql(INSERT_ROW.replace("(id, ", "(").replace("({id}, ", "(")
                                           .format(reason=f"before {number}"))
        upgrade()
        runner = app.test_cli_runner()
        code, output = verify(runner)
        assert code == 0 and "3 audit rows, chain intact" in output
        record_rows(2)
        code, output = verify(runner)
        assert code == 0 and "5 audit rows, chain intact" in output
        db.session.remove()
        db.engine.dispose()
    engine.dispose()
