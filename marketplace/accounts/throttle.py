"""Limits on sign-in failures, sign-ups and password-reset requests.

Counted in Flask-Limiter's storage (memory, or Redis when REDIS_URL is set, so every worker
shares the count), per account (its canonical address, see identity.py) and per client
address. Only sign-in failures count: a user who signs in correctly is never slowed. Every
sign-up and reset request counts, since each one sends a mail whether or not the account
exists.

When Redis stops answering, the counts go on in this worker's memory (logged once per
outage) and Redis is tried again after RATELIMIT_RETRY_STORAGE_SECONDS: a sign-in never
fails because the counter store is down.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from marketplace.extensions import limiter


@dataclass(frozen=True)
class Throttle:
    """A pair of limits on one action: per account and per client address (config keys)."""

    name: str
    per_account: str
    per_address: str


SIGN_IN = Throttle("login", "LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_ADDRESS")
REGISTER = Throttle("register", "REGISTER_LIMIT_PER_ACCOUNT", "REGISTER_LIMIT_PER_ADDRESS")
PASSWORD_RESET = Throttle("reset", "RESET_LIMIT_PER_ACCOUNT", "RESET_LIMIT_PER_ADDRESS")


class _Counters:
    """The shared counters (Flask-Limiter's storage), and this worker's own while it is down."""

    def __init__(self, shared_storage):
        self.shared = FixedWindowRateLimiter(shared_storage)
        self.strategy = MovingWindowRateLimiter(MemoryStorage())
        self.down_until = 0.0
        self.lock = threading.Lock()

    def in_use(self) -> bool:
        return time.monotonic() < self.down_until

    def storage_failed(self, error: Exception) -> None:
        with self.lock:
            already_down = self.down_until > 0
            self.down_until = time.monotonic() + current_app.config["RATELIMIT_RETRY_STORAGE_SECONDS"]
        if not already_down:
            current_app.logger.warning("Rate limit storage unreachable (%s): counting sign-ins, sign-ups and "
                                       "password resets in memory until it answers again", error)

    def storage_answered(self) -> None:
        if self.down_until:
            with self.lock:
                self.down_until = 0.0
            current_app.logger.info("Rate limit storage answers again: shared counting resumed")


def _counters() -> _Counters:
    counters = current_app.extensions.get("terroir_throttle")
    if counters is None:
        counters = current_app.extensions["terroir_throttle"] = _Counters(limiter.storage)
    return counters


def _call(method: str, item: RateLimitItem, *identifiers: str) -> bool:
    """Ask the shared storage, or this worker's memory while the shared one is down."""
    counters = _counters()
    if not counters.in_use():
        try:
            answer = getattr(counters.shared, method)(item, *identifiers)
        except Exception as error:  # any storage failure (connection, timeout, protocol)
            counters.storage_failed(error)
        else:
            counters.storage_answered()
            return answer
    return getattr(counters.strategy, method)(item, *identifiers)


def _items(throttle: Throttle) -> tuple[RateLimitItem, RateLimitItem]:
    config = current_app.config
    return parse(config[throttle.per_account]), parse(config[throttle.per_address])


def blocked(throttle: Throttle, identity: str, address: str) -> bool:
    """Return True when this account or this client address has used up its allowance."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    per_account, per_address = _items(throttle)
    return not (_call("test", per_account, f"{throttle.name}-account", identity)
                and _call("test", per_address, f"{throttle.name}-address", address))


def count(throttle: Throttle, identity: str, address: str) -> None:
    """Count one attempt against the account and the client address."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    per_account, per_address = _items(throttle)
    _call("hit", per_account, f"{throttle.name}-account", identity)
    _call("hit", per_address, f"{throttle.name}-address", address)


def sign_in_blocked(identity: str, address: str) -> bool:
    """Return True when this account or this address has failed too often lately."""
    return blocked(SIGN_IN, identity, address)


def record_failed_sign_in(identity: str, address: str) -> None:
    count(SIGN_IN, identity, address)
