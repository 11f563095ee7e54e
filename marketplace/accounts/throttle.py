"""Failed sign-in limits, per account and per client address.

Counted in Flask-Limiter's storage (memory, or Redis when REDIS_URL is set, so every worker
shares the count). Only failures count: a user who signs in correctly is never slowed.
"""
from __future__ import annotations

from flask import current_app
from limits import parse

from marketplace.extensions import limiter


def _limits():
    config = current_app.config
    return parse(config["LOGIN_LIMIT_PER_ACCOUNT"]), parse(config["LOGIN_LIMIT_PER_ADDRESS"])


def sign_in_blocked(email: str, address: str) -> bool:
    """Return True when this account or this address has failed too often lately."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    per_account, per_address = _limits()
    strategy = limiter.limiter
    return not (
        strategy.test(per_account, "login-account", email)
        and strategy.test(per_address, "login-address", address)
    )


def record_failed_sign_in(email: str, address: str) -> None:
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    per_account, per_address = _limits()
    limiter.limiter.hit(per_account, "login-account", email)
    limiter.limiter.hit(per_address, "login-address", address)
