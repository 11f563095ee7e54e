"""Complaints: filed by shoppers, handled by supervisors (and GI claims by county officials).

Whoever files is told at each step, by mail; the seller complained about is told that a
complaint arrived, never who sent it. A complaint questioning a GI claim goes to the
officials of the cooperative's county too, who may handle it unless they belong to it.
"""
from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.catalog.models import Listing
from marketplace.certification.services import access as certification_access
from marketplace.certification.services import trace_codes
from marketplace.certification.models import TraceCode
from marketplace.cooperatives.models import Cooperative
from marketplace.core.audit import record
from marketplace.core.database import write_transaction
from marketplace.core.errors import DomainError, NotAllowed, NotFound
from marketplace.core.timeutil import utcnow
from marketplace.core.urls import external_url
from marketplace.extensions import db
from marketplace.orders.models import SubOrder
from marketplace.supervision.deadlines import complaint_deadline
from marketplace.supervision.labels import COMPLAINT_STATUS
from marketplace.supervision.models import (
    COMPLAINT_TRANSITIONS,
    Complaint,
    ComplaintKind,
    ComplaintNote,
    ComplaintPhoto,
    ComplaintStatus,
)
from marketplace.supervision.services import photos as complaint_photos
from marketplace.supervision.services.common import (
    authenticated,
    clean_body,
    mail_each,
    official_emails,
    supervisor_emails,
)
from marketplace.supervision.services.mailing import tell_cooperative, writers_language

MAX_MESSAGE_LENGTH = 2000
MAX_CONTACT_LENGTH = 120
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

STATUS_LABELS = {status: COMPLAINT_STATUS[status.value] for status in ComplaintStatus}


def _subject(user, kind: ComplaintKind, subject_id: int | None, code_text: str):
    """Find what the complaint is about, refusing what the complainant may not complain of.

    Returns (cooperative or None, values for the complaint row).
    """
    if kind == ComplaintKind.ORDER:
        sub = db.session.get(SubOrder, subject_id or 0)
        if sub is None or sub.order.buyer_id != getattr(user, "id", None):
            raise NotAllowed(_l("You can complain only about your own orders."))
        return sub.cooperative, {"order_id": sub.order_id}
    if kind == ComplaintKind.LISTING:
        listing = db.session.get(Listing, subject_id or 0)
        if listing is None or not listing.is_public:
            raise NotFound(_l("This listing does not exist."))
        return listing.cooperative, {"listing_id": listing.id}
    if kind == ComplaintKind.COOPERATIVE:
        cooperative = db.session.get(Cooperative, subject_id or 0)
        if cooperative is None:
            raise NotFound(_l("This cooperative does not exist."))
        return cooperative, {}
    trace_code = _known_code(code_text)
    cooperative = trace_code.certificate.cooperative if trace_code else None
    return cooperative, {"trace_code_id": trace_code.id if trace_code else None, "code_text": code_text}


def _known_code(code_text: str) -> TraceCode | None:
    try:
        code = trace_codes.normalise(code_text)
    except trace_codes.TraceCodeError:
        return None
    return db.session.scalar(select(TraceCode).where(TraceCode.code == code))


def check_subject(user, kind: ComplaintKind, subject_id: int) -> None:
    """Refuse, before any form is shown, a subject that does not exist or is not the user's."""
    _subject(user, kind, subject_id, "")


def parse_kind(value: str | None) -> ComplaintKind:
    try:
        return ComplaintKind(value or "")
    except ValueError:
        raise NotFound(_l("Choose what the complaint is about."), "about") from None


def file_complaint(user, kind: ComplaintKind, subject_id: int | None, message: str | None, *,
                   contact: str | None = "", gi_claim: bool = False, code_text: str | None = "",
                   photos=(), counterfeit_report_id: int | None = None,
                   now: datetime | None = None) -> Complaint:
    """Record a complaint, route it, and tell the complainant, handlers and seller."""
    now = now or utcnow()
    message = clean_body(message, "message", required=True, longest=MAX_MESSAGE_LENGTH,
                         missing=_l("Say what happened: the market supervisor reads every complaint."))
    contact = " ".join(clean_body(contact, "contact", required=False, longest=MAX_CONTACT_LENGTH).split())
    code_text = " ".join(clean_body(code_text, "code", required=False, longest=40).split())
    if kind == ComplaintKind.COUNTERFEIT and not code_text:
        raise DomainError(_l("Type the code printed on the package (or what you can read of it)."), "code")
    prepared = complaint_photos.prepare(photos, "COMPLAINT_PHOTO_MAX_COUNT")
    with write_transaction():
        complaint = _add_complaint(user, kind, subject_id, message, contact, gi_claim, code_text,
                                   counterfeit_report_id, now)
        _store_photos(complaint, prepared)
    return complaint


def _add_complaint(user, kind, subject_id, message, contact, gi_claim, code_text, report_id, now) -> Complaint:
    """Write the complaint inside the caller's transaction (the verify page's report uses it)."""
    cooperative, subject = _subject(user, kind, subject_id, code_text)
    signed_in = authenticated(user)
    gi_claim = cooperative is not None and (bool(gi_claim) or kind == ComplaintKind.COUNTERFEIT)
    complaint = Complaint(
        kind=kind, complainant_id=user.id if signed_in else None, contact=contact,
        cooperative_id=cooperative.id if cooperative else None, gi_claim=gi_claim,
        county_code=cooperative.county_code if cooperative else None, message=message,
        created_at=now, deadline=complaint_deadline(now.date()), counterfeit_report_id=report_id,
        language=writers_language(), **subject)
    db.session.add(complaint)
    db.session.flush()
    record("complaint.filed", "complaint", complaint.id, actor=complaint.complainant_id,
           county_code=complaint.county_code, kind=kind.value, gi_claim=gi_claim,
           cooperative_id=complaint.cooperative_id)
    _tell_on_filing(complaint, cooperative)
    return complaint


def prepare_report_photos(photos):
    """Check the photos sent with a verify-page report, before its transaction."""
    try:
        return complaint_photos.prepare(photos, "COMPLAINT_PHOTO_MAX_COUNT")
    except DomainError as error:
        raise DomainError(str(error), "photos") from error


def file_from_counterfeit_report(report, reporter, prepared) -> Complaint:
    """Open a complaint for a report sent from the verify page, in the report's transaction."""
    complaint = _add_complaint(reporter, ComplaintKind.COUNTERFEIT, None, report.message, report.contact,
                               True, report.code_text, report.id, report.created_at or utcnow())
    _store_photos(complaint, prepared)
    return complaint


def _store_photos(complaint: Complaint, prepared) -> None:
    for photo in prepared:
        full, thumbnail = complaint_photos.store(photo, complaint_photos.COMPLAINT_PHOTOS)
        db.session.add(ComplaintPhoto(complaint_id=complaint.id, filename=full, thumbnail=thumbnail))


def complainant_address(complaint: Complaint) -> str | None:
    """Where to mail the complainant: their account, else a contact that is an address."""
    if complaint.complainant is not None:
        return complaint.complainant.email
    return complaint.contact if _EMAIL.match(complaint.contact or "") else None


def _tell_on_filing(complaint: Complaint, cooperative) -> None:
    number = complaint.id
    handler_url = external_url("supervision_admin.complaint", complaint_id=number)
    mail_each([complainant_address(complaint)], _l("Your complaint no. %(n)s was received", n=number),
              "supervision_complaint_step", number=number, status=STATUS_LABELS[complaint.status],
              note="", deadline=complaint.deadline.isoformat(), language=complaint.language,
              url=external_url("supervision_public.my_complaint", complaint_id=number)
              if complaint.complainant_id else "")
    mail_each(supervisor_emails(), _l("New complaint no. %(n)s", n=number), "supervision_complaint_new",
              number=number, message=complaint.message, deadline=complaint.deadline.isoformat(),
              url=handler_url)
    if complaint.gi_claim:
        mail_each(official_emails(complaint.county_code), _l("New complaint no. %(n)s", n=number),
                  "supervision_complaint_new", number=number, message=complaint.message,
                  deadline=complaint.deadline.isoformat(),
                  url=external_url("supervision_official.complaint", complaint_id=number))
    if cooperative is not None:
        tell_cooperative(
            cooperative.id, _l("A complaint about %(name)s", name=cooperative.name),
            "supervision_complaint_seller", number=number, cooperative=cooperative.name,
            url=external_url("supervision_seller.complaint", complaint_id=number))


def handler_role(user, complaint: Complaint) -> str:
    """Say as whom `user` may handle the complaint ("supervisor" or "official"), or refuse."""
    if authenticated(user) and user.is_supervisor:
        return "supervisor"
    if (authenticated(user) and complaint.gi_claim and complaint.county_code in user.county_codes
            and not certification_access.is_member(user, complaint.cooperative_id or 0)):
        return "official"
    raise NotAllowed(_l("Only a market supervisor, or an official of the cooperative's county for "
                        "a GI claim, can handle this complaint."))


def may_handle(user, complaint: Complaint) -> bool:
    try:
        handler_role(user, complaint)
    except NotAllowed:
        return False
    return True


def _locked(complaint_id: int) -> Complaint:
    complaint = db.session.scalar(select(Complaint).where(Complaint.id == complaint_id).with_for_update()
                                  .execution_options(populate_existing=True))
    if complaint is None:
        raise NotAllowed(_l("This complaint does not exist."))
    return complaint


def parse_status(value: str | None) -> ComplaintStatus:
    try:
        return ComplaintStatus(value or "")
    except ValueError:
        raise DomainError(_l("Choose a step from the list."), "status") from None


def move_complaint(user, complaint_id: int, to_status: str | None, note: str | None,
                   now: datetime | None = None) -> Complaint:
    """Move a complaint one step, with a note the complainant is mailed."""
    now = now or utcnow()
    wanted = parse_status(to_status)
    note = clean_body(note, "note", required=True)
    with write_transaction():
        complaint = _locked(complaint_id)
        role = handler_role(user, complaint)
        if wanted not in COMPLAINT_TRANSITIONS[complaint.status]:
            raise DomainError(_l("A complaint %(status)s cannot become %(wanted)s.",
                                      status=STATUS_LABELS[complaint.status], wanted=STATUS_LABELS[wanted]),
                                   "status")
        complaint.status = wanted
        if not complaint.is_open:
            complaint.decided_at = now
        db.session.add(ComplaintNote(complaint_id=complaint.id, author_id=user.id, author_role=role,
                                     to_status=wanted.value, body=note, created_at=now))
        record(f"complaint.{wanted.value}", "complaint", complaint.id, actor=user, reason=note,
               county_code=complaint.county_code, handled_as=role)
        _tell_complainant(complaint, note)
    return complaint


def _tell_complainant(complaint: Complaint, note: str) -> None:
    number = complaint.id
    mail_each([complainant_address(complaint)],
              _l("Your complaint no. %(n)s: %(status)s", n=number, status=STATUS_LABELS[complaint.status]),
              "supervision_complaint_step", number=number, status=STATUS_LABELS[complaint.status],
              note=note, deadline=complaint.deadline.isoformat(), language=complaint.language,
              url=external_url("supervision_public.my_complaint", complaint_id=number)
              if complaint.complainant_id else "")


def add_note(user, complaint_id: int, note: str | None, now: datetime | None = None) -> Complaint:
    """Keep a remark on the file, for those handling it (the complainant is not mailed)."""
    note = clean_body(note, "note", required=True, missing=_l("Write the note."))
    with write_transaction():
        complaint = _locked(complaint_id)
        role = handler_role(user, complaint)
        db.session.add(ComplaintNote(complaint_id=complaint.id, author_id=user.id, author_role=role,
                                     body=note, created_at=now or utcnow()))
        record("complaint.noted", "complaint", complaint.id, actor=user, county_code=complaint.county_code)
    return complaint
