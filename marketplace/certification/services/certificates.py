"""Batch certificates: a seller asks, an official of the cooperative's county certifies or rejects.

The seller sends a batch to the queue explicitly (it does not enter by itself when saved),
so a cooperative decides when a batch is ready, and the queue holds only what is meant
for review. Only a batch whose validation report passes, of a cooperative holding a valid
authorization for that product, can be sent — and the same is checked again when the
official certifies, since either may have changed while it waited.

Two officials certifying the same batch at once get exactly one certificate: the row is
one per batch (unique), it is read under a write lock (SQLite: BEGIN IMMEDIATE;
PostgreSQL: SELECT … FOR UPDATE), and the ORM's version column makes the UPDATE
conditional on the version that was read.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.catalog.models import Batch
from marketplace.certification.services import access, catalogue, name_use, notifications, production_sites, review, trace_codes
from marketplace.certification.services.authorizations import valid_authorization
from marketplace.certification.services.batch_verdict import batch_passes
from marketplace.certification.services.decisions import (
    clean_reason,
    decision_transaction,
    mail_date,
    new_number,
)
from marketplace.certification.models import BatchCertificate, CertificateStatus
from marketplace.core.audit import record
from marketplace.core.errors import DomainError
from marketplace.core.i18n import current_language
from marketplace.core.timeutil import utcnow
from marketplace.certification.services.recall_notices import tell_members_of_recall
from marketplace.extensions import db


def _check_ready(batch: Batch, now: datetime):
    """Refuse a batch that may not be certified now; return the authorization it rests on."""
    if not batch_passes(batch):
        raise DomainError(_l("This batch did not pass validation against the standard, so it "
                                    "cannot be certified. Correct the batch first."), "batch")
    authorization = valid_authorization(batch.cooperative_id, batch.standard_slug, now)
    if authorization is None:
        raise DomainError(_l("The cooperative holds no valid authorization to use the mark of "
                                    "this GI product."), "batch")
    production_sites.check_origin(batch, authorization)
    review.check_lab_report(batch)
    return authorization


def submission_problem(batch: Batch, now: datetime | None = None) -> str | None:
    """Why the batch cannot be sent for certification now, or None if it can."""
    try:
        _check_ready(batch, now or utcnow())
    except DomainError as error:
        return str(error)
    return None


def certificate_of_batch(batch_id: int) -> BatchCertificate | None:
    return db.session.scalar(select(BatchCertificate).where(BatchCertificate.batch_id == batch_id))


def _load_for_update(certificate_id: int) -> BatchCertificate:
    certificate = db.session.scalar(
        select(BatchCertificate).where(BatchCertificate.id == certificate_id)
        .with_for_update().execution_options(populate_existing=True))
    if certificate is None:
        raise DomainError(_l("This certification request does not exist."))
    return certificate


def _audit(action: str, certificate: BatchCertificate, actor, *, reason: str = "",
           public: bool = False, **details) -> None:
    record(action, "batch", certificate.batch_id, actor=actor, reason=reason,
           county_code=certificate.county_code,
           standard_version=certificate.standard_version_label or None, public=public,
           standard_slug=certificate.standard_slug, certificate_id=certificate.id,
           certificate_number=certificate.number, **details)


def _subject_line(certificate: BatchCertificate) -> str:
    name = catalogue.product_name(certificate.standard_slug, current_language())
    return _("Batch no. %(id)s of %(product)s", id=certificate.batch_id, product=name)


def _mail_members(certificate: BatchCertificate, decision: str, reason: str = "",
                  trace_code: str = "") -> None:
    notifications.tell_members(
        certificate.cooperative_id,
        _("Your batch certification: %(decision)s", decision=decision),
        cooperative=certificate.cooperative.name, subject_line=_subject_line(certificate),
        decision=decision, reason=reason, number=certificate.number or "",
        valid_until=mail_date(certificate.valid_until), trace_code=trace_code,
        url=notifications.absolute_url("certification_seller.overview"),
    )


def submit_batch(user, batch_id: int, now: datetime | None = None) -> BatchCertificate:
    """Send a passing batch of an authorized cooperative to its county officials' queue."""
    now = now or utcnow()
    batch = db.session.get(Batch, batch_id)
    if batch is None:
        raise DomainError(_l("This batch does not exist."), "batch")
    access.check_member(user, batch.cooperative_id)
    deciding_county = _check_ready(batch, now).county_code
    with decision_transaction():
        certificate = db.session.scalar(
            select(BatchCertificate).where(BatchCertificate.batch_id == batch_id)
            .with_for_update().execution_options(populate_existing=True))
        if certificate is None:
            certificate = BatchCertificate(batch_id=batch.id, status=CertificateStatus.SUBMITTED)
            db.session.add(certificate)
        elif certificate.status == CertificateStatus.SUBMITTED:
            raise DomainError(_l("This batch is already waiting for review."), "batch")
        else:
            certificate.move_to(CertificateStatus.SUBMITTED)
        batch = db.session.get(Batch, batch_id)
        certificate.cooperative_id = batch.cooperative_id
        certificate.standard_slug = batch.standard_slug
        # Decided where the cooperative is registered (its authorization's county), not where
        # the batch says it grew: a seller must not pick the reviewer by naming an origin.
        certificate.county_code = deciding_county
        certificate.submitted_by_id, certificate.submitted_at = user.id, now
        certificate.report = dict(batch.validation or {})
        certificate.standard_version_label = catalogue.batch_version_label(batch)
        batch.locked_at = now
        db.session.flush()
        _audit("certificate.submitted", certificate, user)
        notifications.tell_officials(
            certificate.county_code,
            _("Batch to certify: %(cooperative)s", cooperative=batch.cooperative.name),
            cooperative=batch.cooperative.name, subject_line=_subject_line(certificate), note="",
            review_days=current_app.config["REVIEW_WORKING_DAYS"],
            url=notifications.absolute_url("certification_official.certificate", certificate_id=certificate.id))
    return certificate


def certify_batch(official, certificate_id: int, now: datetime | None = None, *,
                  lab_report_read: bool = False,
                  answers: Mapping[str, review.Answer] | None = None) -> BatchCertificate:
    """Certify a waiting batch: a certificate number, a validity and the batch's trace code.

    Only after a review (see certification.review): the lab report read, and every finding
    the report leaves to the official answered "ok" with a note; the certificate keeps it.
    """
    now = now or utcnow()
    with decision_transaction():
        certificate = _load_for_update(certificate_id)
        access.check_may_decide(official, certificate.county_code, certificate.cooperative_id)
        if certificate.status != CertificateStatus.SUBMITTED:
            raise DomainError(_l("This batch has already been decided on."))
        batch = certificate.batch
        authorization = _check_ready(batch, now)
        access.check_may_decide(official, authorization.county_code, certificate.cooperative_id)
        checked = review.record_review(batch, batch.validation, lab_report_read=lab_report_read,
                                       answers=answers or {})
        certificate.move_to(CertificateStatus.CERTIFIED)
        certificate.review = checked
        certificate.report = dict(batch.validation or {})
        certificate.standard_version_label = catalogue.batch_version_label(batch)
        certificate.number = new_number("CERT", certificate.county_code, now)
        certificate.valid_from = now
        certificate.valid_until = now + timedelta(days=current_app.config["CERTIFICATE_VALIDITY_DAYS"])
        certificate.decided_at, certificate.decided_by_id = now, official.id
        certificate.reason = ""
        code = trace_codes.batch_code(certificate.id) or trace_codes.issue_code(certificate, 0)
        db.session.flush()
        _audit("certificate.certified", certificate, official, public=True,
               trace_code=code.code, valid_until=certificate.valid_until.isoformat(),
               checked=[{"key": c["key"], "answer": c["answer"], "note": c["note"]} for c in checked["checks"]])
        _mail_members(certificate, _("certified"), trace_code=code.display)
    return certificate


def _decide(official, certificate_id: int, status: CertificateStatus, action: str, *, reason: str,
            reason_required: bool, public: bool, decision_label: str,
            now: datetime | None) -> BatchCertificate:
    now = now or utcnow()
    reason = clean_reason(reason, required=reason_required)
    with decision_transaction():
        certificate = _load_for_update(certificate_id)
        access.check_may_decide(official, certificate.county_code, certificate.cooperative_id)
        certificate.move_to(status)
        if status == CertificateStatus.REJECTED:
            certificate.batch.locked_at = None  # the seller may correct it and send it again
        certificate.reason = reason
        certificate.decided_at, certificate.decided_by_id = now, official.id
        _audit(action, certificate, official, reason=reason, public=public)
        _mail_members(certificate, decision_label, reason)
        if status == CertificateStatus.REVOKED:
            name_use.pause_listings_using_name(
                cooperative_id=certificate.cooperative_id, standard_slug=certificate.standard_slug,
                batch_id=certificate.batch_id, because="certificate_revoked", reason=reason, actor=official)
    return certificate


def reject_batch(official, certificate_id: int, reason: str, now=None) -> BatchCertificate:
    """Refuse to certify a batch; the reason is required. The seller may send it again."""
    return _decide(official, certificate_id, CertificateStatus.REJECTED, "certificate.rejected",
                   reason=reason, reason_required=True, public=False, decision_label=_("rejected"),
                   now=now)


def suspend_certificate(official, certificate_id: int, reason: str, now=None) -> BatchCertificate:
    """Suspend a certificate: its codes show the suspension and the badge goes at once."""
    return _decide(official, certificate_id, CertificateStatus.SUSPENDED, "certificate.suspended",
                   reason=reason, reason_required=True, public=True, decision_label=_("suspended"),
                   now=now)


def reinstate_certificate(official, certificate_id: int, reason: str = "", now=None) -> BatchCertificate:
    """Lift a suspension; the certificate keeps its number, codes and end of validity."""
    return _decide(official, certificate_id, CertificateStatus.CERTIFIED, "certificate.reinstated",
                   reason=reason, reason_required=False, public=True,
                   decision_label=_("suspension lifted"), now=now)


def revoke_certificate(official, certificate_id: int, reason: str, now=None) -> BatchCertificate:
    """Withdraw a certificate for good; its codes then say so to whoever checks them."""
    return _decide(official, certificate_id, CertificateStatus.REVOKED, "certificate.revoked",
                   reason=reason, reason_required=True, public=True, decision_label=_("revoked"),
                   now=now)


def recall_batch(user, certificate_id: int, notice: str, now: datetime | None = None) -> BatchCertificate:
    """Recall the goods of a certified batch with a public notice (召回), for good.

    Distinct from a revocation, which judges the GI claim: a recall tells whoever holds a
    package what is wrong and what to do, and the verify page shows the notice as such.
    The badge goes with it. A market supervisor may recall, or an official of the
    cooperative's county who is not a member of it; the notice is required and audited.
    """
    now = now or utcnow()
    notice = clean_reason(notice, required=True)
    with decision_transaction():
        certificate = _load_for_update(certificate_id)
        apply_recall(user, certificate, notice, now)
    return certificate


def apply_recall(user, certificate: BatchCertificate, notice: str, now: datetime) -> None:
    """Recall inside the caller's transaction (a supervisor's batch freeze recalls too)."""
    role = access.recall_role(user, certificate.cooperative.county_code, certificate.cooperative_id)
    if certificate.status not in (CertificateStatus.CERTIFIED, CertificateStatus.SUSPENDED,
                                  CertificateStatus.REVOKED):
        raise DomainError(_l("Only a batch that was certified can be recalled."))
    if certificate.recalled_at is not None:
        raise DomainError(_l("This batch is already recalled."))
    certificate.recalled_at, certificate.recall_notice = now, notice
    certificate.recalled_by_id, certificate.recalled_by_role = user.id, role
    _audit("certificate.recalled", certificate, user, reason=notice, public=True, recalled_by=role)
    tell_members_of_recall(certificate, notice)  # in each member's language
