"""The ceiling of the page benchmark: a bare Flask page rendering 20 rows read from SQLite.

Served by gunicorn exactly like the shop (`bench/pages.py` starts it), it shows what a
request costs on this machine before any of the shop's work: no ORM, no session, no
translations, one query and a small Jinja template.
"""
from __future__ import annotations

import os
import sqlite3

from flask import Flask

app = Flask(__name__)
#: Compiled once, as Flask does for template files.
TEMPLATE = app.jinja_env.from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ceiling</title></head>
<body><table>
{% for id, title, price in rows %}
<tr><td>{{ id }}</td><td>{{ title }}</td><td>{{ "%.2f"|format(price / 100) }}</td></tr>
{% endfor %}</table></body></html>""")
_connection: sqlite3.Connection | None = None


def _db() -> sqlite3.Connection:
    """One connection per worker process, opened after the fork."""
    global _connection
    if _connection is None:
        _connection = sqlite3.connect(os.environ["BENCH_SQLITE_PATH"], check_same_thread=False)
    return _connection


@app.get("/")
def rows():
    found = _db().execute("SELECT id, title, price_minor FROM listings ORDER BY id DESC LIMIT 20").fetchall()
    return TEMPLATE.render(rows=found)
