"""The officials' review queue, and how long each item has waited in working days.

The rules give the county office ten working days (config REVIEW_WORKING_DAYS) for a
first review. Working days are those of the Chinese calendar in the shop's time zone
(public holidays off, adjusted weekend days on): see core.working_days.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.certification.services import access
from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    CertificateStatus,
    GIAuthorization,
)
from marketplace.core.working_days import local_date, working_days_between
from marketplace.extensions import db
from marketplace.core.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class QueueItem:
    """One application or batch waiting for an official's decision."""

    kind: str  # "authorization" or "batch"
    id: int
    cooperative_name: str
    cooperative_id: int
    standard_slug: str
    county_code: str
    submitted_at: datetime
    waited_working_days: int
    overdue: bool
    can_decide: bool
    batch_id: int | None = None


def waiting(submitted_at: datetime, now: datetime) -> tuple[int, bool]:
    """Working days waited since submission, and whether that is past the allowed time."""
    waited = working_days_between(local_date(submitted_at), local_date(now))
    return waited, waited > current_app.config["REVIEW_WORKING_DAYS"]


def official_queue(user, now: datetime | None = None) -> list[QueueItem]:
    """Everything waiting in the user's counties, oldest first.

    Items of a cooperative the official belongs to are listed (so nothing looks lost) but
    marked as not theirs to decide.
    """
    now = now or utcnow()
    counties = sorted(user.county_codes)
    if not counties:
        return []
    items: list[QueueItem] = []
    authorizations = db.session.scalars(
        select(GIAuthorization).options(joinedload(GIAuthorization.cooperative))
        .where(GIAuthorization.county_code.in_(counties),
               GIAuthorization.status == AuthorizationStatus.SUBMITTED))
    for authorization in authorizations:
        waited, overdue = waiting(authorization.submitted_at, now)
        items.append(QueueItem(
            "authorization", authorization.id, authorization.cooperative.name,
            authorization.cooperative_id, authorization.standard_slug, authorization.county_code,
            as_utc(authorization.submitted_at), waited, overdue,
            access.may_decide(user, authorization.county_code, authorization.cooperative_id)))
    certificates = db.session.scalars(
        select(BatchCertificate).options(joinedload(BatchCertificate.cooperative))
        .where(BatchCertificate.county_code.in_(counties),
               BatchCertificate.status == CertificateStatus.SUBMITTED))
    for certificate in certificates:
        waited, overdue = waiting(certificate.submitted_at, now)
        items.append(QueueItem(
            "batch", certificate.id, certificate.cooperative.name, certificate.cooperative_id,
            certificate.standard_slug, certificate.county_code, as_utc(certificate.submitted_at),
            waited, overdue,
            access.may_decide(user, certificate.county_code, certificate.cooperative_id),
            batch_id=certificate.batch_id))
    items.sort(key=lambda item: item.submitted_at)
    return items
