"""Connection set-up that every SQLite connection needs, and write transactions that hold.

SQLite runs the single-machine deployment and the default test suite, so it must behave
under concurrent requests: WAL lets readers go on while one connection writes, the busy
timeout makes a writer wait instead of failing at once, and foreign keys are off unless
asked for on every connection.

A deferred SQLite transaction that reads and then writes fails at once with "database is
locked" if another connection wrote in between (the busy timeout does not apply to that
upgrade). Services that read then write call `begin_write()` first: on SQLite it opens the
transaction with BEGIN IMMEDIATE, so the write lock is taken up front and waited for.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

from marketplace.extensions import db

_IMMEDIATE = "terroir_sqlite_immediate"


def install_sqlite_pragmas(busy_timeout_ms: int) -> None:
    """Register the per-connection SQLite settings (once per process is enough)."""
    if getattr(install_sqlite_pragmas, "_installed", False):
        install_sqlite_pragmas.busy_timeout_ms = busy_timeout_ms
        return
    install_sqlite_pragmas.busy_timeout_ms = busy_timeout_ms

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        # Let SQLAlchemy, not the driver, say when a transaction begins (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(install_sqlite_pragmas.busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(Engine, "begin")
    def _on_begin(connection):
        if connection.dialect.name != "sqlite":
            return
        if connection.get_execution_options().get(_IMMEDIATE):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    install_sqlite_pragmas._installed = True


def begin_write() -> None:
    """Start the session's transaction as a write transaction.

    Call it before the first query of a service that reads rows and then changes them. On
    PostgreSQL this changes nothing (row locks and conditional updates do the work there).
    If the session already has a transaction open, it is committed first only when it
    has not written anything; otherwise the caller's transaction is kept as it is.
    """
    session = db.session()  # the Session itself, not the scoped proxy
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            return
        session.commit()
    session.connection(execution_options={_IMMEDIATE: True})


def migration_includes(dialect_name: str):
    """Alembic `include_object` hook: leave out what the models create only on other backends.

    The search indexes that exist only on PostgreSQL (declared with `ddl_if`) would
    otherwise look missing to every comparison made on SQLite.
    """

    def include(obj, _name, type_, _reflected, _compare_to) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        if type_ == "index" and condition is not None:
            if condition.dialect is not None:
                return condition.dialect == dialect_name
            return dialect_name == "postgresql"
        return True

    return include


@contextmanager
def write_transaction():
    """Run one user action as one write transaction: commit it whole, or roll it all back.

    Opens with `begin_write()`, so SQLite takes its write lock before the first read.
    """
    begin_write()
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def end_read() -> None:
    """End the session's read-only transaction, so no snapshot or lock is held any longer.

    Before something slow (a payment provider, a mail server, a long index write) or to
    read rows as they are now rather than as the transaction first saw them. Only a
    transaction that wrote nothing may end this way: writes go through write_transaction().
    """
    session = db.session()
    if session.new or session.deleted or any(session.is_modified(obj) for obj in session.dirty):
        raise RuntimeError("end_read() with unsaved changes: make them in a write_transaction()")
    session.rollback()


def abandon() -> None:
    """Drop whatever the session holds after an error, so nothing half-done is committed later.

    The error handlers call it before rendering a page; the connection may have gone with
    the database, and then the session is closed instead.
    """
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (any failure here means the connection is gone)
        db.session.close()
