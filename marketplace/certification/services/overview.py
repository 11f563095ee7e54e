"""What the certification pages list: read-only queries, scoped to who is asking."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.accounts.models import User
from marketplace.catalog.models import Batch
from marketplace.certification.services import access, catalogue, trace_codes
from marketplace.certification.services.audit_log import AuditRow
from marketplace.certification.services.authorizations import valid_authorization
from marketplace.certification.services.badge import NO_BADGE, GIBadge, _badges_for_batches
from marketplace.certification.services.batch_verdict import batch_passes
from marketplace.certification.services.certificates import submission_problem
from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    CertificateStatus,
    GIAuthorization,
    TraceCode,
)
from marketplace.certification.services.queue import waiting
from marketplace.cooperatives.models import Cooperative
from marketplace.core.audit import AuditEntry
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


@dataclass(frozen=True)
class BatchRow:
    """A batch as the seller's certification page shows it, with what can be done next."""

    batch: Batch
    certificate: BatchCertificate | None
    passes: bool
    authorized: bool
    badge: GIBadge
    can_submit: bool
    can_print: bool
    status: str
    #: Why sending it would be refused (origin outside the sites, no lab report…), if so.
    problem: str | None = None


@dataclass(frozen=True)
class CooperativeFiles:
    cooperative: Cooperative
    authorizations: list[GIAuthorization]
    batches: list[BatchRow]
    eligible_products: list[str]


def seller_overview(user, now: datetime | None = None) -> list[CooperativeFiles]:
    """Every cooperative of the user with its applications and its batches."""
    now = now or utcnow()
    result = []
    cooperatives = db.session.scalars(select(Cooperative).options(joinedload(Cooperative.county))
                                      .where(Cooperative.id.in_(sorted(user.cooperative_ids())))
                                      .order_by(Cooperative.name)).all()
    for cooperative in cooperatives:
        authorizations = db.session.scalars(select(GIAuthorization).where(
            GIAuthorization.cooperative_id == cooperative.id).order_by(GIAuthorization.created_at.desc())).all()
        valid_products = {a.standard_slug for a in authorizations if a.is_valid_at(now)}
        batches = db.session.scalars(select(Batch).where(Batch.cooperative_id == cooperative.id)
                                     .order_by(Batch.harvest_date.desc(), Batch.id.desc())).all()
        certificates = {c.batch_id: c for c in db.session.scalars(select(BatchCertificate).where(
            BatchCertificate.cooperative_id == cooperative.id))}
        badges = _badges_for_batches({b.id for b in batches}, now)
        rows = []
        for batch in batches:
            certificate = certificates.get(batch.id)
            passes, authorized = batch_passes(batch), batch.standard_slug in valid_products
            status = certificate.shown_status(now) if certificate else "none"
            can_submit = passes and authorized and status in ("none", "rejected")
            rows.append(BatchRow(
                batch, certificate, passes, authorized, badges.get(batch.id, NO_BADGE),
                can_submit=can_submit,
                can_print=certificate is not None and certificate.is_valid_at(now), status=status,
                problem=submission_problem(batch, now) if can_submit else None))
        eligible = [slug for slug, standard in catalogue.current_catalogue().items()
                    if standard.area_status(cooperative.county_code) is not None]
        result.append(CooperativeFiles(cooperative, list(authorizations), rows, eligible))
    return result


def authorizations_for_official(user, status: str | None = None) -> list[GIAuthorization]:
    """Applications and authorizations of the official's counties (all for supervisors)."""
    query = select(GIAuthorization).options(joinedload(GIAuthorization.cooperative))
    if not user.is_supervisor:
        query = query.where(GIAuthorization.county_code.in_(sorted(user.county_codes)))
    if status in {s.value for s in AuthorizationStatus}:
        query = query.where(GIAuthorization.status == AuthorizationStatus(status))
    return list(db.session.scalars(query.order_by(GIAuthorization.submitted_at.desc())))


def certificates_for_official(user, status: str | None = None) -> list[BatchCertificate]:
    query = select(BatchCertificate).options(joinedload(BatchCertificate.cooperative))
    if not user.is_supervisor:
        query = query.where(BatchCertificate.county_code.in_(sorted(user.county_codes)))
    if status in {s.value for s in CertificateStatus}:
        query = query.where(BatchCertificate.status == CertificateStatus(status))
    return list(db.session.scalars(query.order_by(BatchCertificate.submitted_at.desc())))


@dataclass(frozen=True)
class ReviewFile:
    """An authorization or certificate as an official reviews it."""

    subject: GIAuthorization | BatchCertificate
    can_decide: bool
    is_member: bool
    waited_working_days: int
    overdue: bool
    history: list[AuditRow]
    batch_code: TraceCode | None = None
    valid_authorization: GIAuthorization | None = None
    batch_passes: bool = False


def _history(subject_type: str, subject_id: int) -> list[AuditRow]:

    rows = db.session.execute(
        select(AuditEntry, User.display_name).outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == str(subject_id))
        .order_by(AuditEntry.created_at, AuditEntry.id)).all()
    return [AuditRow(entry, name or "") for entry, name in rows]


def review_authorization(user, authorization: GIAuthorization, now: datetime | None = None) -> ReviewFile:
    now = now or utcnow()
    waited, overdue = waiting(authorization.submitted_at, now)
    open_ = authorization.status == AuthorizationStatus.SUBMITTED
    return ReviewFile(authorization, access.may_decide(user, authorization.county_code,
                                                       authorization.cooperative_id),
                      access.is_member(user, authorization.cooperative_id),
                      waited if open_ else 0, overdue and open_,
                      _history("authorization", authorization.id))


def review_certificate(user, certificate: BatchCertificate, now: datetime | None = None) -> ReviewFile:
    now = now or utcnow()
    waited, overdue = waiting(certificate.submitted_at, now)
    open_ = certificate.status == CertificateStatus.SUBMITTED
    return ReviewFile(certificate, access.may_decide(user, certificate.county_code, certificate.cooperative_id),
                      access.is_member(user, certificate.cooperative_id),
                      waited if open_ else 0, overdue and open_,
                      _history("batch", certificate.batch_id),
                      batch_code=trace_codes.batch_code(certificate.id),
                      valid_authorization=valid_authorization(certificate.cooperative_id,
                                                              certificate.standard_slug, now),
                      batch_passes=batch_passes(certificate.batch))



def authorized_cooperatives(standard_slug: str, at=None) -> list:
    """Authorizations to use the mark of one GI product that are valid now, with their cooperative.

    For the public page of the standard: who may sell this product under its name.
    """
    moment = at or utcnow()
    rows = db.session.scalars(
        select(GIAuthorization)
        .where(GIAuthorization.standard_slug == standard_slug,
               GIAuthorization.status == AuthorizationStatus.APPROVED)
        .options(joinedload(GIAuthorization.cooperative))
        .order_by(GIAuthorization.valid_until.desc())
    ).all()
    return [row for row in rows if row.is_valid_at(moment)]
