"""Counting the SQL statements one request costs, without the housekeeping that may fall on it."""
from __future__ import annotations

import time
from contextlib import contextmanager

from sqlalchemy import event


def postpone_outbox_drain() -> None:
    """Start the search outbox's drain period now.

    Whichever request commits first once the grace period has passed drains the outbox (one
    read, see `marketplace.search.sync`). That is housekeeping shared by every page; on a slow
    machine it may fall on the request whose statements a test counts.
    """
    from marketplace.search import sync

    sync._last_drain["at"] = time.monotonic()


@contextmanager
def counted_statements(app):
    """The statements `app` runs inside the block, transaction bookkeeping (BEGIN, COMMIT) left out."""
    from marketplace.extensions import db

    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    postpone_outbox_drain()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
