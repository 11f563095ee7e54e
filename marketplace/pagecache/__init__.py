"""Cached public pages that are right by construction: filed under the current trust version.

See `trust.py` for the version and `store.py` for where the pages live.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.pagecache import models, store, trust  # noqa: F401  (table known to Alembic)

    trust.install()
    store.init_app(app)
