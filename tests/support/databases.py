"""One fresh database per test, cloned from a template that holds the schema, dropped after it.

The schema is built once per session from the models; a separate test proves that the
migrations build the same schema. Cloning a template is much faster than creating tables.
"""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import sqlalchemy as sa

_counter = itertools.count()


def backend() -> str:
    return os.environ.get("TERROIR_TEST_DB", "sqlite")


def build_schema(url: str) -> None:
    from marketplace.extensions import db
    from marketplace import models  # noqa: F401

    engine = sa.create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()


class SqliteDatabases:
    def __init__(self, folder: Path):
        self.folder = folder
        self.template = folder / "template.sqlite3"
        build_schema(f"sqlite:///{self.template}")

    def new(self) -> str:
        path = self.folder / f"test-{next(_counter)}.sqlite3"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        remove_sqlite_files(url)


def remove_sqlite_files(url: str) -> None:
    """Remove a SQLite database with its write-ahead log and shared memory, or what stands in its place."""
    path = Path(sa.engine.make_url(url).database)
    if path.is_dir():  # an outage test put a folder in its place
        shutil.rmtree(path)
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"), path):
        leftover.unlink(missing_ok=True)


class PostgresDatabases:
    def __init__(self, cluster):
        self.cluster = cluster
        admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE terroir_template")
        admin.dispose()
        build_schema(cluster.url("terroir_template"))
        self.admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")

    def new(self) -> str:
        name = f"test_{next(_counter)}"
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE terroir_template")
        return self.cluster.url(name)

    def drop(self, url: str) -> None:
        """Drop a test's database once it has ended.

        Each copy of the template takes some 15 MB: kept, a worker's copies would grow the
        cluster to gigabytes, written to disk and removed again when the session ends.
        FORCE ends what still uses it (a server process a test failed to stop).
        """
        name = sa.engine.make_url(url).database
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.admin.dispose()


def make_test_thread_write_like_the_app() -> None:
    """On SQLite, let the test's own thread read without a snapshot and write under the lock.

    The app's services open write transactions with BEGIN IMMEDIATE (they wait up to the
    busy timeout for the lock). Test code that reads rows and then changes them would
    otherwise hold a read snapshot from its first query and fail at once with "database
    is locked" as soon as a live server, a webhook or the mail sender wrote in between.
    So on the thread running the test, each read stands alone, and the first write of a
    transaction takes the write lock with BEGIN IMMEDIATE, waiting like the app does.
    Services that the test calls directly keep their own BEGIN IMMEDIATE.
    """
    if getattr(make_test_thread_write_like_the_app, "done", False):
        return
    import threading

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from marketplace.core.database import _IMMEDIATE

    writes = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def on_test_thread(connection) -> bool:
        return connection.dialect.name == "sqlite" and threading.current_thread() is threading.main_thread()

    @event.listens_for(Engine, "begin")
    def _read_without_snapshot(connection):
        if on_test_thread(connection) and not connection.get_execution_options().get(_IMMEDIATE):
            connection.exec_driver_sql("COMMIT")  # undo the app's deferred BEGIN

    @event.listens_for(Engine, "before_cursor_execute")
    def _lock_before_first_write(connection, cursor, statement, _parameters, _context, _many):
        if not on_test_thread(connection) or not statement.lstrip().upper().startswith(writes):
            return
        if not connection.connection.dbapi_connection.in_transaction:
            cursor.execute("BEGIN IMMEDIATE")

    make_test_thread_write_like_the_app.done = True
