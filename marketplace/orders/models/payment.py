"""What payment providers told us: each event once, and every refund we asked for."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class ProviderEventRecord(db.Model):
    """A provider event we have acted on. Inserting it first is what makes a repeat a no-op."""

    __tablename__ = "payment_provider_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(255))
    event_type: Mapped[str] = mapped_column(String(80))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    #: What the shop made of it ("paid", "ignored: unknown order", "mismatch"…).
    outcome: Mapped[str] = mapped_column(String(80), default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class RefundStatus(str, enum.Enum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    #: Given back outside the site (offline payments): the seller returns the money.
    MANUAL = "manual"


class Refund(db.Model):
    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_minor > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    sub_order_id: Mapped[int | None] = mapped_column(ForeignKey("sub_orders.id", ondelete="CASCADE"))
    amount_minor: Mapped[int] = mapped_column()
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus), default=RefundStatus.PENDING,
                                                 index=True)
    #: Why: "buyer_cancelled", "seller_cancelled", "stock_gone", "provider" (made at the provider).
    reason: Mapped[str] = mapped_column(String(40))
    #: Sent with the provider call, so that a retry never refunds twice.
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    provider_refund_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    order: Mapped["Order"] = relationship()  # noqa: F821
