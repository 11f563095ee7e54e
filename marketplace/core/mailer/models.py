"""The mail outbox table."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class MailStatus(str, enum.Enum):
    #: Waiting for its first or next attempt (at `next_attempt_at`).
    QUEUED = "queued"
    #: Claimed by a sender until `claimed_until` (a sender that died lets it go then).
    SENDING = "sending"
    SENT = "sent"
    #: Given up after the last attempt or refused for good; a supervisor may retry it.
    FAILED = "failed"


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_status_next_attempt", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(255))
    #: The whole rendered message (RFC 5322), ready to hand to a relay.
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[MailStatus] = mapped_column(enum_column(MailStatus, length=10), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    #: What the relay (or the network) said on the last failed attempt.
    last_error: Mapped[str] = mapped_column(Text, default="")
