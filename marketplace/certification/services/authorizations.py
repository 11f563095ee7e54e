"""GI mark authorizations: a cooperative applies, an official of its county decides.

Every function here is one user action and one transaction: it checks who is acting,
moves the authorization along its transition table, writes the audit row and queues the
mail, and commits all of it together, or nothing.
"""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.certification.services import access, catalogue, documents, name_use, notifications, production_sites
from marketplace.certification.services.decisions import (
    clean_reason,
    decision_transaction,
    mail_date,
    new_number,
)
from marketplace.certification.models import (
    OPEN_AUTHORIZATION_STATUSES,
    AuthorizationDocument,
    AuthorizationStatus,
    DocumentKind,
    GIAuthorization,
)
from marketplace.cooperatives.models import Cooperative
from marketplace.core.audit import record
from marketplace.core.errors import DomainError
from marketplace.core.i18n import current_language
from marketplace.core.timeutil import utcnow
from marketplace.core.uploads import Upload
from marketplace.extensions import db

MAX_STATEMENT_LENGTH = 4000


def _load_for_update(authorization_id: int) -> GIAuthorization:
    """Read the row afresh under a row lock (PostgreSQL), inside the write transaction."""
    authorization = db.session.scalar(
        select(GIAuthorization).where(GIAuthorization.id == authorization_id)
        .with_for_update().execution_options(populate_existing=True))
    if authorization is None:
        raise DomainError(_l("This application does not exist."))
    return authorization


def _subject_line(authorization: GIAuthorization) -> str:
    name = catalogue.product_name(authorization.standard_slug, current_language())
    return _("GI mark authorization for %(product)s", product=name)


def _mail_members(authorization: GIAuthorization, decision: str, reason: str = "") -> None:
    notifications.tell_members(
        authorization.cooperative_id,
        _("Your GI application: %(decision)s", decision=decision),
        cooperative=authorization.cooperative.name,
        subject_line=_subject_line(authorization),
        decision=decision, reason=reason, number=authorization.number or "",
        valid_until=mail_date(authorization.valid_until), trace_code="",
        url=notifications.absolute_url("certification_seller.authorization",
                                       authorization_id=authorization.id),
    )


def _mail_officials(authorization: GIAuthorization, note: str = "") -> None:
    notifications.tell_officials(
        authorization.county_code,
        _("GI application to review: %(cooperative)s", cooperative=authorization.cooperative.name),
        cooperative=authorization.cooperative.name, subject_line=_subject_line(authorization),
        note=note, review_days=current_app.config["REVIEW_WORKING_DAYS"],
        url=notifications.absolute_url("certification_official.authorization", authorization_id=authorization.id),
    )


def _audit(action: str, authorization: GIAuthorization, actor, *, reason: str = "",
           public: bool = False, **details) -> None:
    record(action, "authorization", authorization.id, actor=actor, reason=reason,
           county_code=authorization.county_code,
           standard_version=catalogue.version_label(authorization.standard_slug), public=public,
           standard_slug=authorization.standard_slug, cooperative_id=authorization.cooperative_id,
           **details)


def valid_authorization(cooperative_id: int, standard_slug: str, at: datetime) -> GIAuthorization | None:
    """The cooperative's authorization for the product that is valid at `at`, if any."""
    candidates = db.session.scalars(select(GIAuthorization).where(
        GIAuthorization.cooperative_id == cooperative_id,
        GIAuthorization.standard_slug == standard_slug,
        GIAuthorization.status == AuthorizationStatus.APPROVED))
    return next((a for a in candidates if a.is_valid_at(at)), None)


def check_may_apply(cooperative: Cooperative, standard_slug: str) -> None:
    """Refuse an unknown product, or a cooperative outside the product's protected area."""
    standard = catalogue.standard_for(standard_slug)
    if standard is None:
        raise DomainError(_l("Choose a GI product from the list."), "standard_slug")
    if standard.area_status(cooperative.county_code) is None:
        raise DomainError(_l(
            "%(county)s lies outside the protected area of %(product)s: only producers inside "
            "it may use the mark, so this cooperative cannot apply.",
            county=cooperative.county.full_name(current_language()),
            product=standard.name(current_language())), "standard_slug")


def apply_for_authorization(user, *, cooperative_id: int, standard_slug: str, statement: str,
                            origin_report: Upload | None, application_form: Upload | None,
                            sites: list[str] | None = None,
                            now: datetime | None = None) -> GIAuthorization:
    """File a cooperative's application to use the GI mark of one product.

    It goes to the officials of the cooperative's county; a county outside the product's
    protected area is refused at once, before anything is stored. `sites` are the counties
    (inside the protected area) the cooperative produces in; none means its own county.
    """
    now = now or utcnow()
    access.check_member(user, cooperative_id)
    cooperative = db.session.get(Cooperative, cooperative_id)
    if cooperative is None:
        raise DomainError(_l("Choose one of your cooperatives."), "cooperative_id")
    check_may_apply(cooperative, standard_slug)
    sites = production_sites.clean_sites(standard_slug, sites, cooperative.county_code)
    statement = clean_reason(statement, required=False, field="statement")
    checked = list(zip(
        (DocumentKind.ORIGIN_REPORT, DocumentKind.APPLICATION_FORM),
        documents.check_documents([("origin_report", origin_report), ("application_form", application_form)]),
    ))
    saved: list[str] = []
    try:
        with decision_transaction():
            open_or_valid = db.session.scalars(select(GIAuthorization).where(
                GIAuthorization.cooperative_id == cooperative_id,
                GIAuthorization.standard_slug == standard_slug,
                GIAuthorization.status.in_([*OPEN_AUTHORIZATION_STATUSES, AuthorizationStatus.APPROVED,
                                            AuthorizationStatus.SUSPENDED]))).all()
            if any(a.is_open for a in open_or_valid):
                raise DomainError(_l("An application for this product is already under review."),
                                         "standard_slug")
            if any(not a.is_expired_at(now) for a in open_or_valid):
                raise DomainError(_l("The cooperative already holds an authorization for this "
                                            "product."), "standard_slug")
            authorization = GIAuthorization(
                cooperative=cooperative, standard_slug=standard_slug,
                county_code=cooperative.county_code, production_sites=sites,
                applicant_id=user.id, statement=statement,
                status=AuthorizationStatus.SUBMITTED, submitted_at=now)
            db.session.add(authorization)
            for kind, document in checked:
                name = documents.save(document)
                saved.append(name)
                authorization.documents.append(AuthorizationDocument(
                    kind=kind, stored_name=name, mime_type=document.mime_type,
                    original_name=documents.shown_name(document.upload.filename),
                    size_bytes=len(document.data), uploaded_by_id=user.id))
            db.session.flush()
            _audit("authorization.applied", authorization, user,
                   area=catalogue.area_status(standard_slug, cooperative.county_code))
            _mail_officials(authorization, statement)
    except Exception:
        documents.discard(saved)
        raise
    return authorization


def resubmit_authorization(user, authorization_id: int, *, answer: str,
                           supplement: Upload | None = None,
                           now: datetime | None = None) -> GIAuthorization:
    """Answer an official's request for more and put the application back in the queue.

    The review time counts again from the answer, as the file is only now complete.
    """
    now = now or utcnow()
    answer = clean_reason(answer, required=True, field="answer")
    document = documents.check_document(supplement, "supplement", required=False)
    saved: list[str] = []
    try:
        with decision_transaction():
            authorization = _load_for_update(authorization_id)
            access.check_member(user, authorization.cooperative_id)
            authorization.move_to(AuthorizationStatus.SUBMITTED)
            authorization.applicant_answer = answer
            authorization.submitted_at = now
            if document is not None:
                name = documents.save(document)
                saved.append(name)
                authorization.documents.append(AuthorizationDocument(
                    kind=DocumentKind.SUPPLEMENT, stored_name=name, mime_type=document.mime_type,
                    original_name=documents.shown_name(document.upload.filename),
                    size_bytes=len(document.data), uploaded_by_id=user.id))
            _audit("authorization.resubmitted", authorization, user, reason=answer)
            _mail_officials(authorization, answer)
    except Exception:
        documents.discard(saved)
        raise
    return authorization


def _start_of_local_day(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _years_later(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def approve_authorization(official, authorization_id: int, *, number: str | None = None,
                          valid_from: date | None = None, years: int | None = None,
                          now: datetime | None = None) -> GIAuthorization:
    """Approve an application: give it a number and a validity (GI_AUTHORIZATION_YEARS)."""
    now = now or utcnow()
    years = current_app.config["GI_AUTHORIZATION_YEARS"] if years is None else years
    if not isinstance(years, int) or not 1 <= years <= 10:
        raise DomainError(_l("Choose a validity from 1 to 10 years."), "years")
    number = (number or "").strip().upper()
    if number and not (4 <= len(number) <= 40 and all(c.isalnum() or c in "-/" for c in number)):
        raise DomainError(_l("Use 4 to 40 letters, digits, dashes or slashes."), "number")
    start = _start_of_local_day(valid_from) if valid_from else now
    if valid_from and abs((valid_from - now.date()).days) > 366:
        raise DomainError(_l("The validity must start within a year of today."), "valid_from")
    with decision_transaction():
        authorization = _load_for_update(authorization_id)
        access.check_may_decide(official, authorization.county_code, authorization.cooperative_id)
        authorization.move_to(AuthorizationStatus.APPROVED)
        if number and db.session.scalar(select(GIAuthorization.id).where(GIAuthorization.number == number)):
            raise DomainError(_l("This authorization number is already used."), "number")
        authorization.number = number or new_number("GI", authorization.county_code, now)
        authorization.valid_from = start
        authorization.valid_until = _years_later(start, years)
        authorization.reason = ""
        authorization.decided_at, authorization.decided_by_id = now, official.id
        _audit("authorization.approved", authorization, official, public=True,
               number=authorization.number, valid_from=start.isoformat(),
               valid_until=authorization.valid_until.isoformat())
        _mail_members(authorization, _("approved"))
    return authorization


def _decide(official, authorization_id: int, status: AuthorizationStatus, action: str, *,
            reason: str, reason_required: bool, public: bool, decision_label: str,
            now: datetime | None, field: str = "reason") -> GIAuthorization:
    now = now or utcnow()
    reason = clean_reason(reason, required=reason_required, field=field)
    with decision_transaction():
        authorization = _load_for_update(authorization_id)
        access.check_may_decide(official, authorization.county_code, authorization.cooperative_id)
        authorization.move_to(status)
        if status == AuthorizationStatus.MORE_INFO_REQUESTED:
            authorization.information_request = reason
        else:
            authorization.reason = reason
        authorization.decided_at, authorization.decided_by_id = now, official.id
        _audit(action, authorization, official, reason=reason, public=public,
               number=authorization.number)
        _mail_members(authorization, decision_label, reason)
        if status in (AuthorizationStatus.SUSPENDED, AuthorizationStatus.REVOKED):
            name_use.pause_for_authorization(authorization, f"authorization_{status.value}",
                                             reason=reason, actor=official, at=now)
    return authorization


def reject_authorization(official, authorization_id: int, reason: str, now=None) -> GIAuthorization:
    """Refuse an application; the reason is required and is sent to the cooperative."""
    return _decide(official, authorization_id, AuthorizationStatus.REJECTED, "authorization.rejected",
                   reason=reason, reason_required=True, public=False, decision_label=_("rejected"), now=now)


def request_more_information(official, authorization_id: int, request: str,
                             now=None) -> GIAuthorization:
    """Send the application back to the cooperative with a request for what is missing."""
    return _decide(official, authorization_id, AuthorizationStatus.MORE_INFO_REQUESTED,
                   "authorization.more_information_requested", reason=request, reason_required=True,
                   public=False, decision_label=_("more information requested"), now=now, field="request")


def suspend_authorization(official, authorization_id: int, reason: str, now=None) -> GIAuthorization:
    """Suspend an approved authorization: the badge disappears until the suspension is lifted."""
    return _decide(official, authorization_id, AuthorizationStatus.SUSPENDED,
                   "authorization.suspended", reason=reason, reason_required=True, public=True,
                   decision_label=_("suspended"), now=now)


def reinstate_authorization(official, authorization_id: int, reason: str = "", now=None) -> GIAuthorization:
    """Lift a suspension; the authorization keeps its number and its end of validity."""
    return _decide(official, authorization_id, AuthorizationStatus.APPROVED,
                   "authorization.reinstated", reason=reason, reason_required=False, public=True,
                   decision_label=_("suspension lifted"), now=now)


def revoke_authorization(official, authorization_id: int, reason: str, now=None) -> GIAuthorization:
    """Withdraw an authorization for good; every badge that rests on it goes at once."""
    return _decide(official, authorization_id, AuthorizationStatus.REVOKED, "authorization.revoked",
                   reason=reason, reason_required=True, public=True, decision_label=_("revoked"), now=now)

