"""A cooperative's record as facts, each with its period: never folded into a score."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    CertificateStatus,
    GIAuthorization,
)
from marketplace.extensions import db
from marketplace.orders.models import SubOrder
from marketplace.supervision.models import (
    Complaint,
    ComplaintStatus,
    Review,
    Sanction,
    SanctionKind,
)
from marketplace.core.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class SellerRecord:
    since: date
    until: date
    complaints_upheld: int
    sanctions: int
    revocations: int
    shipped: int
    shipped_late: int
    ship_within_days: int
    review_count: int
    review_average: float | None

    @property
    def late_share_percent(self) -> int | None:
        return round(100 * self.shipped_late / self.shipped) if self.shipped else None


def _count(query) -> int:
    return db.session.scalar(query) or 0


def seller_record(cooperative_id: int, now: datetime | None = None) -> SellerRecord:
    """The record over the configured period (SELLER_RECORD_DAYS) up to now."""
    now = now or utcnow()
    config = current_app.config
    since = now - timedelta(days=config["SELLER_RECORD_DAYS"])
    upheld = _count(select(func.count(Complaint.id)).where(
        Complaint.cooperative_id == cooperative_id, Complaint.status == ComplaintStatus.UPHELD,
        Complaint.decided_at >= since))
    sanctions = _count(select(func.count(Sanction.id)).where(
        Sanction.cooperative_id == cooperative_id, Sanction.kind != SanctionKind.COOPERATIVE_REINSTATED,
        Sanction.created_at >= since))
    revocations = _count(select(func.count(GIAuthorization.id)).where(
        GIAuthorization.cooperative_id == cooperative_id, GIAuthorization.status == AuthorizationStatus.REVOKED,
        GIAuthorization.decided_at >= since)) + _count(select(func.count(BatchCertificate.id)).where(
            BatchCertificate.cooperative_id == cooperative_id, BatchCertificate.status == CertificateStatus.REVOKED,
            BatchCertificate.decided_at >= since))
    allowed = timedelta(days=config["SHIP_WITHIN_DAYS"])
    parcels = db.session.execute(select(SubOrder.paid_at, SubOrder.shipped_at).where(
        SubOrder.cooperative_id == cooperative_id, SubOrder.shipped_at >= since,
        SubOrder.paid_at.is_not(None))).all()
    late = sum(1 for paid, shipped in parcels if as_utc(shipped) - as_utc(paid) > allowed)
    count, average = db.session.execute(select(func.count(Review.id), func.avg(Review.rating)).where(
        Review.cooperative_id == cooperative_id, Review.hidden_at.is_(None), Review.created_at >= since)).one()
    return SellerRecord(since.date(), now.date(), upheld, sanctions, revocations, len(parcels), late,
                        config["SHIP_WITHIN_DAYS"], count or 0,
                        round(float(average), 1) if average is not None else None)


def public_sanctions(cooperative_id: int) -> list[Sanction]:
    """Every measure taken against the cooperative, newest first (the public record)."""
    return list(db.session.scalars(select(Sanction).where(Sanction.cooperative_id == cooperative_id)
                                   .order_by(Sanction.created_at.desc(), Sanction.id.desc())))
