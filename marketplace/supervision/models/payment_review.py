"""A supervisor's answer to a flagged payment: cleared with a note, or refunded."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class PaymentReviewOutcome(str, enum.Enum):
    #: Looked at and found in order (or settled outside the shop): the flag is cleared.
    CLEARED = "cleared"
    #: Money given back through the order's refund path, then the flag cleared.
    REFUNDED = "refunded"


class PaymentReview(db.Model):
    """How one flag on an order was handled; an order flagged again gets a new row later.

    The flag itself lives on the order (`Order.flagged`, set by the payment services):
    open payments are the flagged orders, handled ones are these rows.
    """

    __tablename__ = "payment_reviews"
    __table_args__ = (Index("ix_payment_reviews_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    outcome: Mapped[PaymentReviewOutcome] = mapped_column(enum_column(PaymentReviewOutcome))
    note: Mapped[str] = mapped_column(Text)
    #: Why the order was flagged, as it read when the supervisor handled it.
    flag_reason: Mapped[str] = mapped_column(Text, default="")
    #: The amount refunded (minor units), 0 for a flag cleared without a refund.
    amount_minor: Mapped[int] = mapped_column(default=0)
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    order: Mapped[Order] = relationship()  # noqa: F821
    actor: Mapped[User] = relationship()  # noqa: F821
