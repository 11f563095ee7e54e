"""The public GI register as data: products, their standards and areas, who may use the mark.

Read from the catalogue in force (standards area), the published versions, and the
decisions of county officials (certification area). States are the models' own
`shown_status` at the moment of reading, so an expiry shows at once, as on the pages.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.api.presenters import cooperative_brief
from marketplace.certification.services.catalogue import product_name
from marketplace.certification.models import (
    AuthorizationStatus,
    BatchCertificate,
    CertificateStatus,
    GIAuthorization,
)
from marketplace.cooperatives.models import Cooperative, CooperativeStatus
from marketplace.core.urls import external_url
from marketplace.extensions import db
from marketplace.standards import services as standards
from marketplace.storefront.standard_pages import area_of, provinces_of
from marketplace.core.timeutil import as_utc, utcnow

#: States of a decided authorization or certificate (an open application is not public).
_DECIDED_AUTHORIZATIONS = (AuthorizationStatus.APPROVED, AuthorizationStatus.SUSPENDED, AuthorizationStatus.REVOKED)
_DECIDED_CERTIFICATES = (CertificateStatus.CERTIFIED, CertificateStatus.SUSPENDED, CertificateStatus.REVOKED)


def _product(standard, language: str) -> dict:
    return {
        "slug": standard.slug, "name": standard.names.zh if language == "zh" else standard.names.en,
        "names": {"zh": standard.names.zh, "en": standard.names.en}, "category": standard.category,
        "standard_code": standard.code, "version": standard.version,
        "provinces": sorted(provinces_of(standard)),
        "counties_wholly_inside": len(standard.protected_area),
        "counties_partly_inside": len(standard.partial_area),
        "url": external_url("storefront_standards.detail", slug=standard.slug),
    }


def products(language: str, category: str = "") -> list[dict]:
    catalogue = standards.current_catalogue()
    chosen = sorted(catalogue.values(), key=lambda s: (s.category, s.slug))
    return [_product(s, language) for s in chosen if not category or s.category == category]


def state(row, now) -> dict:
    return {"number": row.number, "status": row.shown_status(now),
            "valid_from": as_utc(row.valid_from), "valid_until": as_utc(row.valid_until)}


def product(slug: str, language: str) -> dict | None:
    """One GI product with its versions, area and the cooperatives holding a decision."""
    catalogue = standards.current_catalogue()
    if slug not in catalogue:
        return None
    standard, now = catalogue[slug], utcnow()
    data = _product(standard, language)
    data["versions"] = [{"version": v.version, "code": v.code, "published_at": as_utc(v.published_at),
                         "is_current": v.is_current} for v in standards.versions(slug)]
    data["area"] = [{"code": item.county.code, "name": item.label(language), "partial": item.partial,
                     "province": item.county.province_zh if language == "zh" else item.county.province_en}
                    for item in area_of(standard)]
    data["cooperatives"] = _holders(slug, language, now)
    return data


def _holders(slug: str, language: str, now) -> list[dict]:
    authorizations = db.session.scalars(
        select(GIAuthorization).join(GIAuthorization.cooperative)
        .where(GIAuthorization.standard_slug == slug, GIAuthorization.status.in_(_DECIDED_AUTHORIZATIONS),
               Cooperative.status != CooperativeStatus.PENDING)
        .options(joinedload(GIAuthorization.cooperative).joinedload(Cooperative.county))
        .order_by(GIAuthorization.cooperative_id, GIAuthorization.decided_at.desc(), GIAuthorization.id.desc())
    ).all()
    certificates = defaultdict(list)
    for certificate in db.session.scalars(
            select(BatchCertificate).where(BatchCertificate.standard_slug == slug,
                                           BatchCertificate.status.in_(_DECIDED_CERTIFICATES))
            .order_by(BatchCertificate.id.desc())):
        certificates[certificate.cooperative_id].append(state(certificate, now))
    holders, seen = [], set()
    for authorization in authorizations:
        if authorization.cooperative_id in seen:
            continue  # the latest decision per cooperative
        seen.add(authorization.cooperative_id)
        holders.append({"cooperative": cooperative_brief(authorization.cooperative, language),
                        "authorization": state(authorization, now),
                        "certificates": certificates.get(authorization.cooperative_id, [])})
    return holders


def authorizations_of(cooperative_id: int, language: str) -> list[dict]:
    """A cooperative's decided authorizations, newest first, with their states now."""
    now = utcnow()
    rows = db.session.scalars(
        select(GIAuthorization).where(GIAuthorization.cooperative_id == cooperative_id,
                                      GIAuthorization.status.in_(_DECIDED_AUTHORIZATIONS))
        .order_by(GIAuthorization.decided_at.desc(), GIAuthorization.id.desc()))
    return [dict(state(row, now), gi_product=row.standard_slug,
                 gi_product_name=product_name(row.standard_slug, language)) for row in rows]
