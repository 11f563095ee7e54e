"""Complaints: what a shopper tells the market supervisor, and how it was handled.

A complaint is about an order, a listing, a cooperative or a package code (a suspected
counterfeit). It moves received → investigating → upheld / dismissed, each step with a
note the complainant is mailed; `COMPLAINT_TRANSITIONS` is the only path it may take.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class ComplaintKind(str, enum.Enum):
    ORDER = "order"
    LISTING = "listing"
    COOPERATIVE = "cooperative"
    #: From the verify page: a package code suspected to be fake or copied.
    COUNTERFEIT = "counterfeit"


class ComplaintStatus(str, enum.Enum):
    RECEIVED = "received"
    INVESTIGATING = "investigating"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


COMPLAINT_TRANSITIONS: dict[ComplaintStatus, frozenset[ComplaintStatus]] = {
    ComplaintStatus.RECEIVED: frozenset({ComplaintStatus.INVESTIGATING, ComplaintStatus.DISMISSED}),
    ComplaintStatus.INVESTIGATING: frozenset({ComplaintStatus.UPHELD, ComplaintStatus.DISMISSED}),
    ComplaintStatus.UPHELD: frozenset(),
    ComplaintStatus.DISMISSED: frozenset(),
}
OPEN_COMPLAINT_STATUSES = (ComplaintStatus.RECEIVED, ComplaintStatus.INVESTIGATING)


class Complaint(db.Model):
    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_status_deadline", "status", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ComplaintKind] = mapped_column(enum_column(ComplaintKind))
    status: Mapped[ComplaintStatus] = mapped_column(enum_column(ComplaintStatus),
                                                    default=ComplaintStatus.RECEIVED)
    #: None for a report sent from the verify page without signing in.
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: How to reach the complainant, as they gave it; never shown to the seller.
    contact: Mapped[str] = mapped_column(String(120), default="")
    #: The language the complaint was written in: mail to a contact without an account uses it.
    language: Mapped[str] = mapped_column(String(5), default="zh", server_default="zh")
    #: The cooperative complained about (None for a code no certificate issued).
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id"))
    trace_code_id: Mapped[int | None] = mapped_column(ForeignKey("trace_codes.id"))
    #: The code as typed on the verify page (a fake label may carry any text).
    code_text: Mapped[str] = mapped_column(String(40), default="")
    counterfeit_report_id: Mapped[int | None] = mapped_column(ForeignKey("counterfeit_reports.id"))
    #: True when the complaint questions a GI claim: the county's officials see it too.
    gi_claim: Mapped[bool] = mapped_column(default=False)
    #: The county whose officials share the complaint (the cooperative's county).
    county_code: Mapped[str | None] = mapped_column(String(6), index=True)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: The day by which the supervisor owes the complainant an answer.
    deadline: Mapped[date] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    complainant: Mapped[User | None] = relationship()  # noqa: F821
    cooperative: Mapped[Cooperative | None] = relationship()  # noqa: F821
    notes: Mapped[list[ComplaintNote]] = relationship(
        back_populates="complaint", order_by="(ComplaintNote.created_at, ComplaintNote.id)")
    photos: Mapped[list[ComplaintPhoto]] = relationship(order_by="ComplaintPhoto.id")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_COMPLAINT_STATUSES


class ComplaintNote(db.Model):
    """A step or remark on a complaint: who wrote it, and the status it moved to (if any)."""

    __tablename__ = "complaint_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: "supervisor", "official" or "complainant".
    author_role: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()  # noqa: F821


class ComplaintPhoto(db.Model):
    """A photo sent with a complaint (the label, the parcel); shown only to those handling it."""

    __tablename__ = "complaint_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    thumbnail: Mapped[str] = mapped_column(String(80), unique=True)
