"""What the supervisor's dashboard and queues show: overdue files, counties nobody serves,
flagged payments, and the whole audit log with filters."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.accounts.models import OfficialAppointment, User
from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    CertificateStatus,
    GIAuthorization,
)
from marketplace.certification.services import queue
from marketplace.certification.services.audit_log import _local_midnight
from marketplace.cooperatives.models import County
from marketplace.core.audit import AuditEntry
from marketplace.core.errors import DomainError
from marketplace.core.numbers import clamp_date
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.supervision.services.common import check_supervisor
from marketplace.supervision.services.complaint_queries import overdue_count
from marketplace.supervision.services.reviews import reported_reviews


@dataclass(frozen=True)
class CountyLine:
    county: County | None
    code: str
    overdue: int
    waiting: int
    officials: int


@dataclass(frozen=True)
class Dashboard:
    overdue_days: int
    counties: list[CountyLine]
    unserved: list[CountyLine]
    complaints_overdue: int
    reviews_reported: int
    payments_flagged: int


def _waiting_by_county(now: datetime) -> tuple[Counter, Counter]:
    """Applications and batches waiting for their county: all, and those past the review time.

    "Past" is the officials' own rule (certification.queue.waiting, REVIEW_WORKING_DAYS), so
    the dashboard and the officials' queue never disagree on what is overdue.
    """
    waiting, overdue = Counter(), Counter()
    for model, status in ((GIAuthorization, AuthorizationStatus.SUBMITTED),
                          (BatchCertificate, CertificateStatus.SUBMITTED)):
        for county, submitted_at in db.session.execute(
                select(model.county_code, model.submitted_at).where(model.status == status)):
            waiting[county] += 1
            if submitted_at is not None and queue.waiting(submitted_at, now)[1]:
                overdue[county] += 1
    return waiting, overdue


def dashboard(supervisor, now: datetime | None = None) -> Dashboard:
    check_supervisor(supervisor)
    now = now or utcnow()
    days = current_app.config["REVIEW_WORKING_DAYS"]
    waiting, overdue = _waiting_by_county(now)
    codes = sorted(waiting)
    officials = Counter(dict(db.session.execute(
        select(OfficialAppointment.county_code, func.count(OfficialAppointment.id))
        .where(OfficialAppointment.county_code.in_(codes)).group_by(OfficialAppointment.county_code)).all()))
    counties = {c.code: c for c in db.session.scalars(select(County).where(County.code.in_(codes)))}
    lines = [CountyLine(counties.get(code), code, overdue[code], waiting[code], officials[code]) for code in codes]
    return Dashboard(
        overdue_days=days,
        counties=sorted((l for l in lines if l.overdue), key=lambda l: (-l.overdue, l.code)),
        unserved=[l for l in lines if not l.officials],
        complaints_overdue=overdue_count(now.date()),
        reviews_reported=len(reported_reviews()),
        payments_flagged=db.session.scalar(select(func.count(Order.id)).where(Order.flagged.is_(True))) or 0,
    )


@dataclass(frozen=True)
class AuditQuery:
    action: str = ""
    subject_type: str = ""
    subject_id: str = ""
    county_code: str = ""
    actor_email: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditResults:
    rows: list[tuple[AuditEntry, str]]
    actions: list[str]
    page: int
    pages: int
    total: int


def audit_entries(supervisor, query: AuditQuery, page: int = 1) -> AuditResults:
    """Every recorded action, newest first; an action filter ending in "." matches a family."""
    check_supervisor(supervisor)
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise DomainError(_l("The start date must not be after the end date."), "date_from")
    conditions = []
    if query.action:
        conditions.append(AuditEntry.action.startswith(query.action, autoescape=True)
                          if query.action.endswith(".") else AuditEntry.action == query.action)
    for column, value in ((AuditEntry.subject_type, query.subject_type), (AuditEntry.subject_id, query.subject_id),
                          (AuditEntry.county_code, query.county_code)):
        if value:
            conditions.append(column == value)
    if query.actor_email:
        conditions.append(User.email == query.actor_email.strip().lower())
    if query.date_from:
        conditions.append(AuditEntry.created_at >= _local_midnight(clamp_date(query.date_from)))
    if query.date_to:
        conditions.append(AuditEntry.created_at < _local_midnight(clamp_date(query.date_to) + timedelta(days=1)))
    base = select(AuditEntry, User.email).outerjoin(User, User.id == AuditEntry.actor_id).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    per_page = current_app.config["AUDIT_PAGE_SIZE"]
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(base.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    actions = list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
    return AuditResults([(entry, email or "") for entry, email in rows], actions, page, pages, total)
