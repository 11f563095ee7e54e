"""Search backends: one small interface (base), a Whoosh index on disk and PostgreSQL full text.

`create_backend(app)` picks one from SEARCH_BACKEND.
"""
from __future__ import annotations

from marketplace.search.backends.base import Loader, SearchBackend, SearchUnavailable  # noqa: F401


def create_backend(app) -> SearchBackend:
    name = app.config["SEARCH_BACKEND"]
    # Each backend is imported only when chosen: Whoosh and the PostgreSQL driver are heavy,
    # and a deployment needs only one of them.
    if name == "whoosh":
        from marketplace.search.backends.whoosh_index import WhooshBackend

        return WhooshBackend(app.config["SEARCH_INDEX_DIR"],
                             writer_timeout=app.config["SEARCH_WRITER_TIMEOUT"],
                             rebuild_processes=app.config["SEARCH_REINDEX_WORKERS"])
    if name == "postgres":
        from marketplace.search.backends.postgres_index import PostgresBackend

        return PostgresBackend(writer_timeout=app.config["SEARCH_WRITER_TIMEOUT"],
                               rank_limit=app.config["SEARCH_RANK_LIMIT"])
    raise SearchUnavailable(f"unknown SEARCH_BACKEND {name!r} (use 'whoosh' or 'postgres')")
