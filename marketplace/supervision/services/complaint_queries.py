"""Reading complaints, each audience its own view of them.

A complainant reads only their own. A seller reads those about their cooperatives as a
`SellerComplaint`, which carries no field about the complainant at all (no name, account
or contact), so no template can show one by mistake. Handlers read the whole file.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from marketplace.core import storage
from marketplace.core.errors import NotAllowed
from marketplace.extensions import db
from marketplace.supervision.models import OPEN_COMPLAINT_STATUSES, Complaint
from marketplace.supervision.services.complaints import handler_role


@dataclass(frozen=True)
class Step:
    status: str | None
    body: str
    at: datetime


@dataclass(frozen=True)
class SellerComplaint:
    id: int
    kind: str
    status: str
    message: str
    created_at: datetime
    deadline: date
    steps: list[Step]


def _steps(complaint: Complaint) -> list[Step]:
    """The status steps (not the handlers' internal notes)."""
    return [Step(n.to_status, n.body, n.created_at) for n in complaint.notes if n.to_status]


def my_complaints(user) -> list[Complaint]:
    return list(db.session.scalars(select(Complaint).where(Complaint.complainant_id == user.id)
                                   .order_by(Complaint.created_at.desc(), Complaint.id.desc())))


def my_complaint(user, complaint_id: int) -> tuple[Complaint, list[Step]]:
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or complaint.complainant_id != getattr(user, "id", None):
        raise NotAllowed("not yours")
    return complaint, _steps(complaint)


def _as_seller_view(complaint: Complaint) -> SellerComplaint:
    return SellerComplaint(complaint.id, complaint.kind.value, complaint.status.value, complaint.message,
                           complaint.created_at, complaint.deadline, _steps(complaint))


def seller_complaints(user) -> list[SellerComplaint]:
    ids = sorted(user.cooperative_ids())
    rows = db.session.scalars(select(Complaint).options(selectinload(Complaint.notes))
                              .where(Complaint.cooperative_id.in_(ids))
                              .order_by(Complaint.created_at.desc(), Complaint.id.desc()))
    return [_as_seller_view(c) for c in rows]


def seller_complaint(user, complaint_id: int) -> SellerComplaint:
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or complaint.cooperative_id not in user.cooperative_ids():
        raise NotAllowed("not about you")
    return _as_seller_view(complaint)


def handler_complaints(user, *, open_only: bool = False) -> list[Complaint]:
    """Every complaint for a supervisor; for an official, the GI claims of their counties."""
    query = select(Complaint).options(selectinload(Complaint.cooperative))
    if not user.is_supervisor:
        query = query.where(Complaint.gi_claim.is_(True), Complaint.county_code.in_(sorted(user.county_codes)))
    if open_only:
        query = query.where(Complaint.status.in_(OPEN_COMPLAINT_STATUSES))
    return list(db.session.scalars(query.order_by(Complaint.deadline, Complaint.id)))


def handler_complaint(user, complaint_id: int) -> tuple[Complaint, str]:
    """The whole file, and as whom the user handles it; refuses anyone else."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotAllowed("no such complaint")
    return complaint, handler_role(user, complaint)


def may_see_photo(user, name: str) -> bool:
    """The complainant and those who may handle the complaint see its photos."""
    from marketplace.supervision.models import ComplaintPhoto

    if not storage.is_stored_name(name):
        return False
    photo = db.session.scalar(select(ComplaintPhoto).where(
        or_(ComplaintPhoto.filename == name, ComplaintPhoto.thumbnail == name)))
    if photo is None:
        return False
    complaint = db.session.get(Complaint, photo.complaint_id)
    if getattr(user, "is_authenticated", False) and complaint.complainant_id == user.id:
        return True
    try:
        handler_role(user, complaint)
    except NotAllowed:
        return False
    return True


def overdue_count(today: date) -> int:
    return db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.status.in_(OPEN_COMPLAINT_STATUSES), Complaint.deadline < today)) or 0


