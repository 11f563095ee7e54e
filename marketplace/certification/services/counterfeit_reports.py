"""Reports of suspected counterfeits, sent from the verify pages to the market supervisors.

Complaints about orders live elsewhere; this is the shopper's direct line from a package
in hand: the code as printed (a fake label may carry a code no certificate issued, or a
real code copied), what looks wrong, and how to reach them if they wish. Each report is
audited and listed for supervisors.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from marketplace.core.audit import record
from marketplace.certification.services import trace_codes
from marketplace.core.errors import DomainError
from marketplace.certification.models import (
    BatchCertificate,
    CounterfeitReport,
    TraceCode,
)
from marketplace.core.text import clean_name, clean_text
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow

#: app.extensions key of the handlers higher areas add (see `add_report_handler`).
_HANDLERS = "terroir_counterfeit_report_handlers"
MAX_CODE_LENGTH = 40
MAX_MESSAGE_LENGTH = 2000
MAX_CONTACT_LENGTH = 120


def _clean(value: str | None, *, multiline: bool = False) -> str:
    return (clean_text(value or "", multiline=True) or "").strip() if multiline else clean_name(value or "")


def add_report_handler(app, prepare, attach) -> None:
    """Let a higher area act on each report in its transaction (supervision opens a complaint).

    `prepare(photos)` runs before the transaction (checking and re-encoding the photos sent
    with the report; it raises DomainError naming the field); `attach(report,
    reporter, prepared)` runs inside it, once the report has its number.
    """
    handlers = app.extensions.setdefault(_HANDLERS, [])
    if (prepare, attach) not in handlers:
        handlers.append((prepare, attach))


def file_report(code_text: str | None, message: str | None, contact: str | None, reporter=None,
                now: datetime | None = None, photos=()) -> CounterfeitReport:
    """Record a report for the market supervisors; raise DomainError naming the field."""
    now = now or utcnow()
    code_text = " ".join(_clean(code_text).split())
    message = _clean(message, multiline=True)
    contact = " ".join(_clean(contact).split())
    if not code_text:
        raise DomainError(_l("Type the code printed on the package (or what you can read of it)."),
                                 "code")
    if len(code_text) > MAX_CODE_LENGTH:
        raise DomainError(_l("Keep it under %(n)d characters.", n=MAX_CODE_LENGTH), "code")
    if not message:
        raise DomainError(_l("Say what looks wrong: the market supervisor reads every report."),
                                 "message")
    if len(message) > MAX_MESSAGE_LENGTH:
        raise DomainError(_l("Keep it under %(n)d characters.", n=MAX_MESSAGE_LENGTH), "message")
    if len(contact) > MAX_CONTACT_LENGTH:
        raise DomainError(_l("Keep it under %(n)d characters.", n=MAX_CONTACT_LENGTH), "contact")
    trace_code = _known_code(code_text)
    handlers = [(attach, prepare(photos)) for prepare, attach in current_app.extensions.get(_HANDLERS, ())]
    with write_transaction():
        report = CounterfeitReport(code_text=code_text, trace_code_id=trace_code.id if trace_code else None,
                                   message=message, contact=contact, created_at=now,
                                   reporter_id=getattr(reporter, "id", None)
                                   if getattr(reporter, "is_authenticated", False) else None)
        db.session.add(report)
        db.session.flush()
        county = trace_code.certificate.county_code if trace_code else None
        record("counterfeit_report.filed", "counterfeit_report", report.id, actor=report.reporter_id,
               county_code=county, code=code_text, known_code=trace_code is not None)
        for attach, prepared in handlers:
            attach(report, reporter, prepared)
    return report


def _known_code(code_text: str) -> TraceCode | None:
    try:
        code = trace_codes.normalise(code_text)
    except trace_codes.TraceCodeError:
        return None
    return db.session.scalar(select(TraceCode).where(TraceCode.code == code))


@dataclass(frozen=True)
class ReportPage:
    reports: list[CounterfeitReport]
    total: int
    page: int
    pages: int


def reports_page(page: int, per_page: int) -> ReportPage:
    """Reports newest first, with the certificate of a known code, for the supervisors' list."""
    total = db.session.scalar(select(func.count(CounterfeitReport.id))) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    reports = list(db.session.scalars(
        select(CounterfeitReport)
        .options(joinedload(CounterfeitReport.trace_code).joinedload(TraceCode.certificate)
                 .joinedload(BatchCertificate.cooperative))
        .order_by(CounterfeitReport.created_at.desc(), CounterfeitReport.id.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    return ReportPage(reports, total, page, pages)
