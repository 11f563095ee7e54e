"""Domain objects as the API's plain values: what a page shows, as data.

Nothing is decided here: badges come from the badge rule, states from the models' own
`shown_status`, verification from the verify service. These functions only name fields.
"""
from __future__ import annotations

from flask import current_app

from marketplace.catalog.labels import category_label
from marketplace.certification.services import trace_codes
from marketplace.certification.services.badge import GIBadge
from marketplace.certification.services.catalogue import product_name
from marketplace.core.urls import external_url
from marketplace.core.timeutil import as_utc


def county(row, language: str) -> dict | None:
    if row is None:
        return None
    return {"code": row.code, "name": row.full_name(language), "province": row.province(language)}


def cooperative_brief(cooperative, language: str) -> dict:
    return {"id": cooperative.id, "name": cooperative.name, "county": county(cooperative.county, language)}


def badge(value: GIBadge, language: str) -> dict:
    withdrawn = value.withdrawn_because
    return {
        "state": value.state.value, "shown": value.shown, "gi_product": value.standard_slug,
        "gi_product_name": product_name(value.standard_slug, language) if value.standard_slug else None,
        "trace_code": value.trace_code, "certificate_number": value.certificate_number,
        "certificate_valid_until": as_utc(value.valid_until),
        "authorization_number": value.authorization_number,
        "withdrawn_because": getattr(withdrawn, "value", withdrawn),
    }


def variants(listing) -> list[dict]:
    """The listing's single unit, price and stock as its one variant (see VariantSchema)."""
    return [{"key": "default", "unit": listing.unit, "price_minor": listing.price_minor,
             "currency": current_app.config["CURRENCY"], "stock": listing.stock,
             "weight_grams": listing.weight_grams, "available": bool(listing.is_live and listing.stock > 0)}]


def photo_urls(listing) -> list[dict]:
    return [{"url": external_url("storefront.photo", name=photo.filename),
             "thumbnail_url": external_url("storefront.photo", name=photo.thumbnail),
             "width": photo.width, "height": photo.height} for photo in listing.photos]


def listing_fields(listing, listing_badge: GIBadge, language: str) -> dict:
    """What every answer about a listing says (schemas_common.ListingFieldsSchema)."""
    return {
        "id": listing.id, "title": listing.title, "status": listing.status.value, "category": listing.category,
        "price_minor": listing.price_minor, "currency": current_app.config["CURRENCY"],
        "unit": listing.unit, "stock": listing.stock,
        "badge": badge(listing_badge, language), "variants": variants(listing),
    }


def listing_summary(listing, listing_badge: GIBadge, language: str) -> dict:
    return {
        **listing_fields(listing, listing_badge, language),
        "category_name": str(category_label(listing.category)),
        "available": bool(listing.is_live and listing.stock > 0),
        "cooperative": cooperative_brief(listing.cooperative, language),
        "url": external_url("storefront.listing", listing_id=listing.id),
    }


def listing_detail(page, language: str) -> dict:
    """A product page (storefront.services.ProductPage) as data."""
    listing = page.listing
    data = listing_summary(listing, page.badge, language)
    batch = listing.batch
    data.update({
        "description": listing.description, "photos": photo_urls(listing),
        "units_sold": listing.units_sold, "updated_at": as_utc(listing.updated_at),
        "batch": None if batch is None else {
            "gi_product": batch.standard_slug, "gi_product_name": product_name(batch.standard_slug, language),
            "harvest_date": batch.harvest_date, "grown_in": county(batch.county, language),
            "grade": page.grade_name, "variety": batch.variety, "validation_passed": bool(batch.validation_passed),
        },
    })
    return data


def _moment(value):
    return as_utc(value) if value is not None else None


def verification(v, language: str) -> dict:
    """The verify page's answer (certification.verification.Verification) as data."""
    certificate, batch, authorization = v.certificate, v.batch, v.authorization
    return {
        "code": trace_codes.display(v.trace_code.code),
        "is_batch_code": v.is_batch_code,
        "package": None if v.is_batch_code else v.trace_code.serial,
        "gi_product": certificate.standard_slug,
        "gi_product_name": product_name(certificate.standard_slug, language),
        "badge": badge(v.badge, language),
        "certificate": {"number": certificate.number, "status": v.certificate_status,
                        "valid_from": _moment(certificate.valid_from), "valid_until": _moment(certificate.valid_until),
                        "standard_version": certificate.standard_version_label},
        "authorization": None if authorization is None else {
            "number": authorization.number, "status": v.authorization_status,
            "valid_from": _moment(authorization.valid_from), "valid_until": _moment(authorization.valid_until)},
        "authorization_status": v.authorization_status,
        "cooperative": cooperative_brief(certificate.cooperative, language),
        "batch": {"harvest_date": batch.harvest_date, "grown_in": county(batch.county, language),
                  "grade": v.grade_name, "variety": batch.variety,
                  "size_kg": float(v.batch_size_kg) if v.batch_size_kg is not None else None},
        "checks": {"count": v.checks.count, "first_at": v.checks.first_at, "first_place": v.checks.first_place,
                   "last_at": v.checks.last_at, "last_place": v.checks.last_place,
                   "counted_now": v.checks.counted_now, "checked_before": v.checks.checked_before},
        "too_many_checks": v.too_many_checks,
        "warnings": list(v.warnings),
        "recall": None if v.recall is None else {"at": v.recall.at, "notice": v.recall.notice, "by": v.recall.by},
        "findings": [{"field": f.field, "expected": f.expected, "actual": f.actual, "passed": f.passed,
                      "severity": f.severity, "message": f.message} for f in v.findings],
        "page_url": external_url("certification_public.verify_code", code=trace_codes.display(v.trace_code.code)),
    }
