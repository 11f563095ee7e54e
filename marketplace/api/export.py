"""The regulator's export: cooperatives, listings, certifications, sanctions and orders.

Each dataset is read a page at a time in id order, so a long export can be fetched page by
page while the shop goes on. Orders carry no buyer's personal data: of the address only
the province is given, and no buyer id, name, phone or street.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Callable

from marshmallow import fields
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.core.audit import AuditEntry
from marketplace.catalog.models import Listing
from marketplace.certification.services.badge import badges_for
from marketplace.certification.models import BatchCertificate, GIAuthorization
from marketplace.cooperatives.models import Cooperative
from marketplace.extensions import db
from marketplace.orders.models import SubOrder
from marketplace.core.timeutil import as_utc, utcnow

#: Audit actions that are sanctions: suspensions, revocations and recalls.
SANCTION_ACTIONS = ("cooperative.suspended", "authorization.suspended", "authorization.revoked",
                    "certificate.suspended", "certificate.revoked", "certificate.recalled")

_S, _I, _T, _B = fields.String, fields.Integer, fields.DateTime, fields.Boolean


def _n(field_class):
    return field_class(allow_none=True, required=True)


def _r(field_class):
    return field_class(required=True)


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    fields: dict
    query: Callable[[], object]
    rows: Callable[[list], list[dict]]


def _cooperative_rows(items) -> list[dict]:
    return [{"id": c.id, "name": c.name, "credit_code": c.credit_code, "county_code": c.county_code,
             "county": c.county.name_zh, "province": c.county.province_zh, "status": c.status.value,
             "created_at": as_utc(c.created_at)} for c in items]


def _listing_rows(items) -> list[dict]:
    badges = badges_for(items)
    return [{"id": l.id, "cooperative_id": l.cooperative_id, "title": l.title, "category": l.category,
             "status": l.status.value, "price_minor": l.price_minor, "unit": l.unit, "stock": l.stock,
             "units_sold": l.units_sold, "batch_id": l.batch_id,
             "gi_product": l.batch.standard_slug if l.batch is not None else None,
             "badge": badges[l.id].state.value, "created_at": as_utc(l.created_at),
             "updated_at": as_utc(l.updated_at)} for l in items]


def _certificate_rows(items) -> list[dict]:
    now = utcnow()
    return [{"id": c.id, "number": c.number, "cooperative_id": c.cooperative_id, "batch_id": c.batch_id,
             "gi_product": c.standard_slug, "county_code": c.county_code, "status": c.shown_status(now),
             "submitted_at": as_utc(c.submitted_at), "valid_from": as_utc(c.valid_from),
             "valid_until": as_utc(c.valid_until), "recalled_at": as_utc(c.recalled_at),
             "standard_version": c.standard_version_label} for c in items]


def _authorization_rows(items) -> list[dict]:
    now = utcnow()
    return [{"id": a.id, "number": a.number, "cooperative_id": a.cooperative_id, "gi_product": a.standard_slug,
             "county_code": a.county_code, "status": a.shown_status(now), "valid_from": as_utc(a.valid_from),
             "valid_until": as_utc(a.valid_until), "decided_at": as_utc(a.decided_at)} for a in items]


def _sanction_rows(items) -> list[dict]:
    return [{"id": e.id, "at": as_utc(e.created_at), "action": e.action, "subject_type": e.subject_type,
             "subject_id": e.subject_id, "county_code": e.county_code, "reason": e.reason} for e in items]


def _order_rows(items) -> list[dict]:
    return [{"id": s.id, "order_id": s.order_id, "cooperative_id": s.cooperative_id, "status": s.status.value,
             "payment_method": s.order.payment_method.value, "currency": s.order.currency,
             "items_minor": s.items_minor, "shipping_minor": s.shipping_minor, "total_minor": s.total_minor,
             "refunded_minor": s.refunded_minor, "units": sum(line.quantity for line in s.lines),
             "buyer_province": s.order.province, "placed_at": as_utc(s.order.placed_at),
             "paid_at": as_utc(s.paid_at), "shipped_at": as_utc(s.shipped_at),
             "delivered_at": as_utc(s.delivered_at), "carrier": s.carrier} for s in items]


DATASETS = {d.name: d for d in (
    Dataset("cooperatives", "Cooperatives", {
        "id": _r(_I), "name": _r(_S), "credit_code": _r(_S), "county_code": _r(_S), "county": _r(_S),
        "province": _r(_S), "status": _r(_S), "created_at": _r(_T)},
        lambda: select(Cooperative).options(joinedload(Cooperative.county)), _cooperative_rows),
    Dataset("listings", "Listings", {
        "id": _r(_I), "cooperative_id": _r(_I), "title": _r(_S), "category": _r(_S), "status": _r(_S),
        "price_minor": _r(_I), "unit": _r(_S), "stock": _r(_I), "units_sold": _r(_I), "batch_id": _n(_I),
        "gi_product": _n(_S), "badge": _r(_S), "created_at": _r(_T), "updated_at": _r(_T)},
        lambda: select(Listing).options(joinedload(Listing.batch), joinedload(Listing.cooperative)), _listing_rows),
    Dataset("certificates", "Batch certificates", {
        "id": _r(_I), "number": _n(_S), "cooperative_id": _r(_I), "batch_id": _r(_I), "gi_product": _r(_S),
        "county_code": _r(_S), "status": _r(_S), "submitted_at": _n(_T), "valid_from": _n(_T),
        "valid_until": _n(_T), "recalled_at": _n(_T), "standard_version": _r(_S)},
        lambda: select(BatchCertificate), _certificate_rows),
    Dataset("authorizations", "GI mark authorizations", {
        "id": _r(_I), "number": _n(_S), "cooperative_id": _r(_I), "gi_product": _r(_S), "county_code": _r(_S),
        "status": _r(_S), "valid_from": _n(_T), "valid_until": _n(_T), "decided_at": _n(_T)},
        lambda: select(GIAuthorization), _authorization_rows),
    Dataset("sanctions", "Sanctions: suspensions, revocations and recalls", {
        "id": _r(_I), "at": _r(_T), "action": _r(_S), "subject_type": _r(_S), "subject_id": _r(_S),
        "county_code": _n(_S), "reason": _r(_S)},
        lambda: select(AuditEntry).where(AuditEntry.action.in_(SANCTION_ACTIONS)), _sanction_rows),
    Dataset("orders", "Orders, one row per cooperative's parcel (buyers only by province)", {
        "id": _r(_I), "order_id": _r(_I), "cooperative_id": _r(_I), "status": _r(_S), "payment_method": _r(_S),
        "currency": _r(_S), "items_minor": _r(_I), "shipping_minor": _r(_I), "total_minor": _r(_I),
        "refunded_minor": _r(_I), "units": _r(_I), "buyer_province": _r(_S), "placed_at": _r(_T),
        "paid_at": _n(_T), "shipped_at": _n(_T), "delivered_at": _n(_T), "carrier": _n(_S)},
        lambda: select(SubOrder).options(joinedload(SubOrder.order), selectinload(SubOrder.lines)), _order_rows),
)}


def page_of(name: str, page: int, per_page: int) -> tuple[list[dict], int]:
    """One page of a dataset in id order, and the dataset's size."""
    dataset = DATASETS[name]
    query = dataset.query()
    model = query.column_descriptions[0]["entity"]
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = db.session.scalars(query.order_by(model.id).limit(per_page).offset((page - 1) * per_page)).unique().all()
    return dataset.rows(list(items)), total


def as_csv(name: str, rows: list[dict]) -> str:
    """Rows as CSV with a header line (times in ISO 8601, UTC)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(DATASETS[name].fields), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()


def _cell(value):
    """A value fit for a spreadsheet: text that starts like a formula is quoted, not run."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value

