"""Copy the app's database to one file and back: SQLite's online backup, or pg_dump/pg_restore.

Both copies are consistent while the app keeps writing: SQLite's backup API copies every
page under one read transaction (WAL lets writers go on meanwhile), and pg_dump reads
through one snapshot.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from marketplace.ops.manifest import BackupError

#: What each database's copy is called inside the archive.
DUMP_NAMES = {"sqlite": "terroir.sqlite3", "postgresql": "terroir.pgdump"}


def dialect_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in DUMP_NAMES:
        raise BackupError(f"backups know SQLite and PostgreSQL, not {name}")
    return name


def dump(url: str, target: Path, client_bin: str) -> None:
    """Write a consistent copy of the database at `url` to `target`."""
    if dialect_of(url) == "sqlite":
        _sqlite_backup(_sqlite_path(url), target)
    else:
        _run_client(client_bin, "pg_dump", url, "--format=custom", "--no-owner", "--no-privileges",
                    f"--file={target}")


def is_empty(url: str) -> bool:
    """True if the database has no tables (a SQLite file that does not exist yet is empty)."""
    if dialect_of(url) == "sqlite" and not _sqlite_path(url).exists():
        return True
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return not sa.inspect(connection).get_table_names()
    finally:
        engine.dispose()


def load(url: str, source: Path, client_bin: str, replace: bool) -> None:
    """Make the database at `url` a copy of `source` (its tables replaced only if `replace`)."""
    if dialect_of(url) == "sqlite":
        _sqlite_replace(source, _sqlite_path(url))
        return
    options = ["--clean", "--if-exists"] if replace else []
    _run_client(client_bin, "pg_restore", url, "--no-owner", "--no-privileges", "--exit-on-error",
                "--single-transaction", *options, str(source))


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database).resolve()


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(f"no SQLite database at {source}")
    with sqlite3.connect(source, timeout=60) as origin, \
            sqlite3.connect(target) as copy:
        # One step (pages=-1): a step-by-step copy restarts whenever another connection
        # writes, so under steady writes it might never finish.
        origin.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        _check_sqlite_integrity(copy, target)
    origin.close()
    copy.close()


def _check_sqlite_integrity(connection: sqlite3.Connection, path: Path) -> None:
    verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"the SQLite copy {path.name} fails its integrity check: {verdict}")


def _sqlite_replace(source: Path, target: Path) -> None:
    """Swap the restored file in whole: a restore cut short leaves the old file as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    draft = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, draft)
    with sqlite3.connect(draft) as connection:
        _check_sqlite_integrity(connection, draft)
    connection.close()
    with open(draft, "rb") as handle:
        os.fsync(handle.fileno())
    for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)  # they belong to the database being replaced
    os.replace(draft, target)


def _run_client(client_bin: str, program: str, url: str, *arguments: str) -> None:
    """Run pg_dump or pg_restore on the database at `url`; the password travels in the environment."""
    executable = str(Path(client_bin) / program) if client_bin else shutil.which(program)
    if not executable or not Path(executable).exists():
        raise BackupError(f"{program} was not found: install the PostgreSQL client (postgresql-client) "
                          "or set POSTGRES_CLIENT_BIN to the folder that holds it")
    parsed = make_url(url)
    environment = dict(os.environ)
    if parsed.password:
        environment["PGPASSWORD"] = parsed.password
    conninfo = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    completed = subprocess.run([executable, f"--dbname={conninfo}", *arguments], env=environment,
                               capture_output=True, text=True)
    if completed.returncode != 0:
        raise BackupError(f"{program} failed (exit status {completed.returncode}): "
                          f"{completed.stderr.strip()[-2000:]}")
