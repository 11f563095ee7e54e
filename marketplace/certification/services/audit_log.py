"""Reading the audit log of certification decisions, with filters and pages.

Officials read the rows of their own counties, supervisors read all. Rows are never
changed (see marketplace.core.audit); this module only reads.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.audit import AuditEntry
from marketplace.core.errors import DomainError, NotAllowed
from marketplace.core.numbers import clamp_date
from marketplace.extensions import db

#: The actions this area writes, in the order a file goes through them.
ACTIONS = (
    "authorization.applied", "authorization.more_information_requested", "authorization.resubmitted",
    "authorization.approved", "authorization.rejected", "authorization.suspended",
    "authorization.reinstated", "authorization.revoked",
    "certificate.submitted", "certificate.certified", "certificate.rejected",
    "certificate.suspended", "certificate.reinstated", "certificate.revoked", "certificate.recalled",
    "trace_code.serials_issued", "counterfeit_report.filed",
    # A listing paused because a decision (or the clock) took away the right to its GI name.
    "listing.name_use_paused",
)
SUBJECT_TYPES = ("authorization", "batch", "listing", "counterfeit_report")


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    county_code: str = ""
    date_from: date | None = None
    date_to: date | None = None
    subject_type: str = ""
    subject_id: str = ""


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    actor_name: str


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _local_midnight(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def audit_page(user, filters: AuditFilters, page: int = 1) -> AuditPage:
    """One page of certification audit rows the user may read, newest first."""
    if not (user.is_supervisor or user.is_official):
        raise NotAllowed(_l("Only officials and supervisors can read the audit log."))
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise DomainError(_l("The start date must not be after the end date."), "date_from")
    query = select(AuditEntry, User.display_name).outerjoin(User, User.id == AuditEntry.actor_id)
    conditions = [AuditEntry.action.in_(ACTIONS)]
    if not user.is_supervisor:
        conditions.append(AuditEntry.county_code.in_(sorted(user.county_codes)))
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    if filters.county_code:
        conditions.append(AuditEntry.county_code == filters.county_code)
    # Clamped: a day after 9999-12-31 or a midnight before year 1 in UTC does not exist.
    if filters.date_from:
        conditions.append(AuditEntry.created_at >= _local_midnight(clamp_date(filters.date_from)))
    if filters.date_to:
        conditions.append(AuditEntry.created_at < _local_midnight(clamp_date(filters.date_to) + timedelta(days=1)))
    if filters.subject_type:
        conditions.append(AuditEntry.subject_type == filters.subject_type)
    if filters.subject_id:
        conditions.append(AuditEntry.subject_id == filters.subject_id)
    per_page = current_app.config["AUDIT_PAGE_SIZE"]
    total = db.session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(query.where(*conditions)
                              .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return AuditPage([AuditRow(entry, name or "") for entry, name in rows], page, pages, total)
