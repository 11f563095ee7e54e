"""Operations on a whole deployment: `flask ops backup` and `flask ops restore`.

A backup is one archive holding the database (SQLite online backup or `pg_dump`), the
uploads folder and a manifest (schema revision, time, a checksum per file); a restore
checks all of it before it touches anything. `forking` is what gunicorn's `--preload` needs.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.ops import forking
    from marketplace.ops.cli import ops_cli

    app.cli.add_command(ops_cli)
    forking.register(app)  # so that a forked gunicorn worker can reset its connections
