"""Token authentication for the endpoints of cooperatives' systems and of the regulator.

The API never acts on a browser's session cookie: a call without a valid bearer token is
refused, whatever cookies it carries. The site's CSRF check is lifted only for calls that
bring a token (a browser cannot be made to send one); a write that comes without a token
is checked for CSRF like any form before it is refused.
"""
from __future__ import annotations

import hashlib
from functools import wraps

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from marketplace.api import tokens
from marketplace.api.http import ApiRefusal, bearer_secret
from marketplace.api.models import ApiToken, TokenScope
from marketplace.api.spec import BEARER
from marketplace.extensions import csrf, limiter

#: What each scope may also do: a write token reads too.
_GRANTS = {TokenScope.READ: {TokenScope.READ}, TokenScope.WRITE: {TokenScope.READ, TokenScope.WRITE},
           TokenScope.EXPORT: {TokenScope.EXPORT}}
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def token_rate_key() -> str:
    """Count calls per token (by its hash), or per address when none is sent."""
    secret = bearer_secret()
    if secret:
        return "api-token:" + hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()[:32]
    return "api-address:" + (get_remote_address() or "")


def _token_limit() -> str:
    return current_app.config["API_TOKEN_RATE_LIMIT"]


def _check_csrf_without_token() -> None:
    if request.method in _UNSAFE and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def current_token() -> ApiToken:
    return g.api_token


def token_required(blueprint, scope: TokenScope):
    """Let the view run only for a live token with `scope`; documented as bearer auth."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            secret = bearer_secret()
            if secret is None:
                _check_csrf_without_token()
                raise ApiRefusal("missing-token")
            token = tokens.authenticate(secret)
            if token is None:
                raise ApiRefusal("invalid-token")
            if scope not in _GRANTS[token.scope]:
                raise ApiRefusal("insufficient-scope")
            g.api_token = token
            return view(*args, **kwargs)

        limited = limiter.limit(_token_limit, key_func=token_rate_key)(wrapped)
        return blueprint.doc(security=[{BEARER: []}])(limited)

    return decorator
