"""Every database connection a test checks out, and closing them all once they are back.

A connection still out when a test ends (a request a live server is still answering, a
webhook the Stripe emulator is still delivering, a mail sender at work) goes back, later,
to its pool. If the test's end had already disposed of that pool, nothing would ever close
the connection: the garbage collector would find it, some tests later, and psycopg would
report it as leaked inside whichever test runs then. So the watch waits, for a bounded
time, for every connection to come back before it empties the pools that handed them out.
"""
from __future__ import annotations

import threading

import sqlalchemy as sa

from tests.support.polling import DEFAULT_TIMEOUT, wait_for


class ConnectionWatch:
    """Listens, from `start` to `close_all`, to every pool of every engine."""

    def __init__(self):
        self.pools: set = set()
        self._out: set = set()
        self._lock = threading.Lock()
        self._listeners = [(sa.engine.Engine, "engine_connect", self._remember_pool),
                           (sa.pool.Pool, "checkout", self._checked_out),
                           (sa.pool.Pool, "checkin", self._checked_in)]

    def _remember_pool(self, connection) -> None:
        self.pools.add(connection.engine.pool)

    def _checked_out(self, _dbapi_connection, record, _proxy) -> None:
        with self._lock:
            self._out.add(record)

    def _checked_in(self, _dbapi_connection, record) -> None:
        with self._lock:
            self._out.discard(record)

    @property
    def still_out(self) -> int:
        with self._lock:
            return len(self._out)

    def start(self) -> ConnectionWatch:
        for target, name, listener in self._listeners:
            sa.event.listen(target, name, listener)
        return self

    def close_all(self, timeout: float = DEFAULT_TIMEOUT, engines=()) -> int:
        """Wait up to `timeout` s for the connections to come back, then close every one.

        `engines` (the test's own apps' engines) are disposed of too. Returns how many
        connections never came back: those the test must be told about.
        """
        wait_for(lambda: self.still_out == 0, timeout=timeout)
        for target, name, listener in self._listeners:
            sa.event.remove(target, name, listener)
        for engine in engines:
            engine.dispose()
        for pool in self.pools:
            pool.dispose()  # closes what came back to a pool its engine had already let go of
        return self.still_out
