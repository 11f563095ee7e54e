"""Wait on what a test asserts, for a bounded time, never a fixed sleep.

Mail, webhooks and refunds arrive after the request that caused them has answered (from
a background thread, a live server, the Stripe emulator). A test polls for the state it
asserts, and gives up after a deadline long enough for a machine whose cores are busy.
"""
from __future__ import annotations

import os
import time

#: Seconds a test waits for something that happens in the background. Generous: a loaded
#: machine is slow, and a passing test never waits the whole of it.
DEFAULT_TIMEOUT = float(os.environ.get("TERROIR_TEST_WAIT_SECONDS", "30"))


def wait_for(condition, timeout: float = DEFAULT_TIMEOUT, interval: float = 0.05):
    """Poll `condition` until it returns something truthy; return its last value.

    On timeout the last (falsy) value is returned, so the test's own assert says what
    was missing.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
