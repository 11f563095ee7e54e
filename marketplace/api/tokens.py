"""Making, revoking and checking API tokens.

A token is "trr_" and 43 random URL-safe characters. Only its SHA-256 is stored: looking a
token up by its hash needs no comparison that could leak timing, and a leaked table holds
no usable token. A token acts for its maker, and only while the maker still may: a
cooperative's token stops working when its maker leaves the cooperative, a supervisor's
when its maker is no longer a supervisor.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from marketplace.api.models import ApiToken, TokenScope
from marketplace.core.audit import record
from marketplace.core.errors import DomainError
from marketplace.catalog.services.access import is_member
from marketplace.core.text import clean_name
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.core.timeutil import as_utc, utcnow

TOKEN_PREFIX = "trr_"


class TokenError(DomainError):
    """A token could not be made or revoked; `field` names the form field concerned."""


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: `secret` is shown once and never again."""

    token: ApiToken
    secret: str


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def _clean_label(name: str | None) -> str:
    label = clean_name(name or "")
    if not label:
        raise TokenError(_("Give the token a name, such as “stock sheet”."), "name")
    if len(label) > 60:
        raise TokenError(_("At most %(count)s characters.", count=60), "name")
    return label


def _live_count(**owner) -> int:
    query = select(func.count(ApiToken.id)).where(ApiToken.revoked_at.is_(None))
    for column, value in owner.items():
        query = query.where(getattr(ApiToken, column) == value)
    return db.session.scalar(query) or 0


def _issue(user, name: str, scope: TokenScope, cooperative_id: int | None) -> IssuedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=hash_of(secret), prefix=secret[:10], scope=scope,
                     cooperative_id=cooperative_id, user_id=user.id)
    db.session.add(token)
    db.session.flush()
    record("api_token.created", "api_token", token.id, actor=user, scope=scope.value,
           cooperative_id=cooperative_id)
    return IssuedToken(token, secret)


def create_cooperative_token(user, cooperative_id: int, name: str, scope: str) -> IssuedToken:
    """Make a read or write token for a cooperative the user belongs to."""
    label = _clean_label(name)
    if scope not in (TokenScope.READ.value, TokenScope.WRITE.value):
        raise TokenError(_("Choose read or write."), "scope")
    with write_transaction():
        if not is_member(user, cooperative_id):
            raise TokenError(_("You are not a member of this cooperative."))
        if _live_count(cooperative_id=cooperative_id) >= current_app.config["API_TOKENS_PER_OWNER"]:
            raise TokenError(_("This cooperative has as many tokens as it may hold: revoke one first."))
        return _issue(user, label, TokenScope(scope), cooperative_id)


def create_export_token(user, name: str) -> IssuedToken:
    """Make a supervisor's token for the regulator's export."""
    label = _clean_label(name)
    with write_transaction():
        if not getattr(user, "is_supervisor", False):
            raise TokenError(_("Only market supervisors make export tokens."))
        if (_live_count(user_id=user.id, cooperative_id=None)
                >= current_app.config["API_TOKENS_PER_OWNER"]):
            raise TokenError(_("You hold as many tokens as you may: revoke one first."))
        return _issue(user, label, TokenScope.EXPORT, None)


def revoke_token(user, token_id: int, *, cooperative_id: int | None) -> ApiToken:
    """Revoke a cooperative's token (any member may) or a supervisor's own export token."""
    with write_transaction():
        token = db.session.get(ApiToken, token_id)
        if token is None or token.cooperative_id != cooperative_id:
            raise TokenError(_("No such token."))
        if cooperative_id is None and token.user_id != user.id:
            raise TokenError(_("No such token."))
        if cooperative_id is not None and not is_member(user, cooperative_id):
            raise TokenError(_("No such token."))
        if token.revoked_at is None:
            token.revoked_at, token.revoked_by_id = utcnow(), user.id
            record("api_token.revoked", "api_token", token.id, actor=user, cooperative_id=cooperative_id)
        return token


def tokens_of_cooperative(cooperative_id: int) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.cooperative_id == cooperative_id)
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))


def export_tokens_of(user) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                          ApiToken.cooperative_id.is_(None))
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))


def still_entitled(token: ApiToken) -> bool:
    """Whether the token's maker may still do what the token does."""
    user = token.user
    if user is None or not user.is_active:
        return False
    if token.scope == TokenScope.EXPORT:
        return bool(user.is_supervisor)
    return is_member(user, token.cooperative_id)


def authenticate(secret: str | None) -> ApiToken | None:
    """The live token this secret is, or None; notes when it was last used."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_of(secret)))
    if token is None or token.revoked_at is not None or not still_entitled(token):
        return None
    _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    """Write the last-used time, at most once per API_TOKEN_TOUCH_SECONDS."""
    now = utcnow()
    every = timedelta(seconds=current_app.config["API_TOKEN_TOUCH_SECONDS"])
    if token.last_used_at is not None and now - as_utc(token.last_used_at) < every:
        return
    with write_transaction():
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                           .execution_options(synchronize_session=False))
    db.session.refresh(token)
