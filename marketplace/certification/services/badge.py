"""The GI badge rule: the one place that decides what a listing may claim.

Listing pages, search results, the API and the verify page all call `badge_for` (or
`badges_for` for many listings at once) and nothing else, so a claim can never be shown in
one place and withdrawn in another.

A listing shows the badge only while, at the moment of reading, its batch passes
validation, the batch's certificate is certified (not suspended or revoked), not
expired and its goods not recalled, the cooperative's authorization for that GI
product is approved (not suspended or revoked) and not expired, and the listing's own
words are bound to the batch (its title names the batch's product, and no other:
`catalog.protected_names`). "Awaiting certification" is a claim as well, shown only with
a valid authorization. Every badge names its product (`standard_slug`), so no page shows
a bare "certified". Nothing is precomputed: a revocation or an expiry
removes the badge everywhere from the next read on, with no job to run.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select

from marketplace.catalog.models import Batch
from marketplace.catalog.protected_names import name_refusal
from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    CertificateStatus,
    GIAuthorization,
    TraceCode,
)
from marketplace.core.timeutil import as_utc, utcnow
from marketplace.extensions import db


class BadgeState(str, enum.Enum):
    #: The listing shows the GI badge.
    CERTIFIED = "certified"
    #: Linked to a batch that passed validation; no certificate yet (or one under review).
    AWAITING_CERTIFICATION = "awaiting_certification"
    #: No GI claim may be shown.
    NONE = "none"


class WithdrawnBecause(str, enum.Enum):
    """Why a batch that was certified shows no badge now (for the verify page and sellers)."""

    CERTIFICATE_SUSPENDED = "certificate_suspended"
    CERTIFICATE_REVOKED = "certificate_revoked"
    CERTIFICATE_EXPIRED = "certificate_expired"
    #: The batch's goods were recalled (a notice to buyers, see BatchCertificate.recalled_at).
    BATCH_RECALLED = "batch_recalled"
    AUTHORIZATION_MISSING = "authorization_missing"
    VALIDATION_FAILED = "validation_failed"


@dataclass(frozen=True)
class GIBadge:
    state: BadgeState
    standard_slug: str | None = None
    trace_code: str | None = None
    certificate_number: str | None = None
    valid_until: datetime | None = None
    authorization_number: str | None = None
    #: Set when a certificate exists but the badge is not shown, to say why.
    withdrawn_because: WithdrawnBecause | None = None
    #: Where the batch was grown (a zone name such as 西湖龙井 needs a batch from its zone).
    county_code: str | None = None

    @property
    def shown(self) -> bool:
        return self.state == BadgeState.CERTIFIED


NO_BADGE = GIBadge(BadgeState.NONE)


def badge_for(item, at: datetime | None = None) -> GIBadge:
    """Decide the badge of one listing (or of one batch) at the moment `at` (now by default)."""
    if isinstance(item, Batch):
        return _badges_for_batches({item.id}, at or utcnow()).get(item.id, NO_BADGE)
    if getattr(item, "batch_id", None) is None:
        return NO_BADGE
    return badges_for([item], at)[item.id]


def badges_for(listings, at: datetime | None = None) -> dict[int, GIBadge]:
    """Decide the badges of many listings with one query, whatever their number.

    A listing claims only what its own words are bound to: a title that does not name
    the batch's product (or names another, or a zone name the batch is not from) gets no
    badge, whatever the batch's certificate says.
    """
    listings = list(listings)
    by_batch = _badges_for_batches({l.batch_id for l in listings if l.batch_id is not None}, at or utcnow())
    return {listing.id: _bound_to_listing(listing, by_batch.get(listing.batch_id, NO_BADGE))
            for listing in listings}


def _bound_to_listing(listing, badge: GIBadge) -> GIBadge:
    if badge.standard_slug is None:
        return badge
    if name_refusal(listing.title, listing.description, badge.standard_slug, badge.county_code) is not None:
        return NO_BADGE
    return badge


def badge_from(certificate, *, batch_passed: bool, authorizations, batch_code: str | None,
               at: datetime, batch_county: str | None = None) -> GIBadge:
    """Decide the badge from rows the caller has read already (the verify page's one query).

    The same rule as `badge_for`: `authorizations` are the cooperative's authorizations
    of the product (any status; only a valid one counts).
    """
    entry = {"slug": certificate.standard_slug, "county": batch_county or certificate.county_code,
             "passed": batch_passed,
             "certificate": certificate, "code": batch_code, "authorizations": list(authorizations)}
    return _decide(entry, as_utc(at))


def _badges_for_batches(batch_ids: set[int], at: datetime) -> dict[int, GIBadge]:
    """Read every batch with its certificate, batch code and authorizations in one query."""
    if not batch_ids:
        return {}
    at = as_utc(at)
    rows = db.session.execute(
        select(Batch.id, Batch.standard_slug, Batch.county_code, Batch.validation_passed,
               BatchCertificate, TraceCode.code, GIAuthorization)
        .outerjoin(BatchCertificate, BatchCertificate.batch_id == Batch.id)
        .outerjoin(TraceCode, and_(TraceCode.certificate_id == BatchCertificate.id, TraceCode.serial == 0))
        .outerjoin(GIAuthorization, and_(
            GIAuthorization.cooperative_id == Batch.cooperative_id,
            GIAuthorization.standard_slug == Batch.standard_slug,
            GIAuthorization.status == AuthorizationStatus.APPROVED))
        .where(Batch.id.in_(sorted(batch_ids)))
    ).all()
    gathered: dict[int, dict] = {}
    for batch_id, slug, county, passed, certificate, code, authorization in rows:
        entry = gathered.setdefault(batch_id, {"slug": slug, "county": county, "passed": passed,
                                               "certificate": certificate, "code": code, "authorizations": []})
        if authorization is not None:
            entry["authorizations"].append(authorization)
    return {batch_id: _decide(entry, at) for batch_id, entry in gathered.items()}


def _decide(entry: dict, at: datetime) -> GIBadge:
    slug, certificate = entry["slug"], entry["certificate"]
    authorization = next((a for a in entry["authorizations"] if a.is_valid_at(at)), None)
    if certificate is None or certificate.status in (CertificateStatus.SUBMITTED, CertificateStatus.REJECTED):
        # "Awaiting certification" is a claim too: only an authorized cooperative may make it.
        if (entry["passed"] and authorization is not None
                and (certificate is None or certificate.status == CertificateStatus.SUBMITTED)):
            return GIBadge(BadgeState.AWAITING_CERTIFICATION, slug, county_code=entry["county"])
        return GIBadge(BadgeState.NONE, slug, county_code=entry["county"])
    details = {"standard_slug": slug, "trace_code": entry["code"], "certificate_number": certificate.number,
               "valid_until": as_utc(certificate.valid_until), "county_code": entry["county"]}
    reason = None
    if certificate.status == CertificateStatus.REVOKED:
        reason = WithdrawnBecause.CERTIFICATE_REVOKED
    elif certificate.status == CertificateStatus.SUSPENDED:
        reason = WithdrawnBecause.CERTIFICATE_SUSPENDED
    elif certificate.recalled_at is not None:
        reason = WithdrawnBecause.BATCH_RECALLED
    elif not certificate.is_valid_at(at):
        reason = WithdrawnBecause.CERTIFICATE_EXPIRED
    elif authorization is None:
        reason = WithdrawnBecause.AUTHORIZATION_MISSING
    elif not entry["passed"]:
        reason = WithdrawnBecause.VALIDATION_FAILED
    if reason is not None:
        return GIBadge(BadgeState.NONE, withdrawn_because=reason, **details)
    return GIBadge(BadgeState.CERTIFIED, authorization_number=authorization.number, **details)
