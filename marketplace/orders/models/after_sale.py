"""After-sales (售后): a buyer's request for a refund or a return after delivery, and the
reminder mailed before an offline order's reservation runs out.

One request per parcel (sub-order): the unique key is what stops a buyer asking twice,
even with two requests sent at once. Every step changes `status` by a conditional UPDATE
(see services.after_sale), so two answers racing for the same request cannot both land.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class AfterSaleKind(str, enum.Enum):
    #: Money back, the goods stay with the buyer (rotten fruit is not sent back).
    REFUND = "refund"
    #: The goods go back to the cooperative, then the money.
    RETURN = "return"


class AfterSaleStatus(str, enum.Enum):
    REQUESTED = "requested"
    #: The seller asked for the goods back; the buyer is to send them and give the tracking number.
    GOODS_REQUESTED = "goods_requested"
    #: The buyer sent the goods back; the seller is to confirm receipt and refund.
    GOODS_SENT = "goods_sent"
    REFUSED = "refused"
    ESCALATED = "escalated"
    REFUNDED = "refunded"
    #: A supervisor decided against the buyer: nothing more to do.
    DISMISSED = "dismissed"


#: States in which the seller owes an answer, by the request's answer deadline.
AWAITING_SELLER = (AfterSaleStatus.REQUESTED, AfterSaleStatus.GOODS_SENT)
#: States after which nothing can change any more.
CLOSED = (AfterSaleStatus.REFUNDED, AfterSaleStatus.DISMISSED)


class AfterSaleRequest(db.Model):
    __tablename__ = "after_sale_requests"
    __table_args__ = (
        CheckConstraint("requested_minor > 0", name="requested_positive"),
        CheckConstraint("refund_minor IS NULL OR refund_minor > 0", name="refund_positive"),
        Index("ix_after_sale_requests_status_due", "status", "answer_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    #: One request per parcel, ever: a refused one is escalated, not asked again.
    sub_order_id: Mapped[int] = mapped_column(ForeignKey("sub_orders.id", ondelete="CASCADE"), unique=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[AfterSaleKind] = mapped_column(enum_column(AfterSaleKind))
    status: Mapped[AfterSaleStatus] = mapped_column(enum_column(AfterSaleStatus), default=AfterSaleStatus.REQUESTED)
    reason: Mapped[str] = mapped_column(Text)
    #: What the buyer asks back, in minor units (at most what was paid for the parcel).
    requested_minor: Mapped[int] = mapped_column()
    #: What was granted and refunded, once decided.
    refund_minor: Mapped[int | None] = mapped_column()
    #: The seller's (or supervisor's) words: why refused, where to send the goods, the decision.
    seller_note: Mapped[str] = mapped_column(Text, default="")
    supervisor_note: Mapped[str] = mapped_column(Text, default="")
    return_tracking_number: Mapped[str | None] = mapped_column(String(40))
    #: The seller must answer (or confirm the returned goods) by then, else it is escalated.
    answer_due_at: Mapped[datetime | None] = mapped_column()
    #: True when the deadline passed, not the buyer, escalated it.
    escalated_automatically: Mapped[bool] = mapped_column(default=False)
    escalated_at: Mapped[datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    order: Mapped["Order"] = relationship()  # noqa: F821
    sub_order: Mapped["SubOrder"] = relationship()  # noqa: F821
    cooperative: Mapped["Cooperative"] = relationship()  # noqa: F821
    buyer: Mapped["User"] = relationship(foreign_keys=[buyer_id])  # noqa: F821
    photos: Mapped[list[AfterSalePhoto]] = relationship(
        back_populates="request", order_by="AfterSalePhoto.id", cascade="all, delete-orphan")

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED


class AfterSalePhoto(db.Model):
    """A photo the buyer sent with the request (re-encoded, without metadata, kept private)."""

    __tablename__ = "after_sale_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("after_sale_requests.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(64), unique=True)
    thumbnail: Mapped[str] = mapped_column(String(64))

    request: Mapped[AfterSaleRequest] = relationship(back_populates="photos")


class PaymentReminder(db.Model):
    """A reminder mailed before an offline order's reservation ran out: one per order."""

    __tablename__ = "payment_reminders"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
