"""API tokens: how a cooperative's systems and the regulator call the JSON API.

A token is shown once when it is made and stored only as a SHA-256 hash, so a copy of the
database does not give anyone a working token. It acts for the member (or supervisor) who
made it, and only while that person still may: a member who leaves the cooperative, or a
supervisor who loses the role, takes their tokens' power with them.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class TokenScope(str, enum.Enum):
    #: A cooperative's systems reading its listings and orders.
    READ = "read"
    #: Reading, and changing stock, price and shipments.
    WRITE = "write"
    #: A market supervisor's export for the regulator.
    EXPORT = "export"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the maker called it ("stock sheet", "county platform").
    name: Mapped[str] = mapped_column(String(60))
    #: SHA-256 (hex) of the whole token; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The token's first characters, so its owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope))
    #: The cooperative whose systems use it (None for a supervisor's export token).
    cooperative_id: Mapped[int | None] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="CASCADE"), index=True)
    #: Who made it: the token acts for this user.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821
    cooperative: Mapped["Cooperative | None"] = relationship()  # noqa: F821

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
