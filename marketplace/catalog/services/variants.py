"""Sizes of a listing: add one, change one, retire one.

Every change runs under the listing's row lock (as checkout's reservation takes it first),
moves stock relative to what the seller saw, keeps the listing's summary in step and checks
the batch's (or the pre-sale's) mass balance in the same transaction. A size that orders
point at is retired, never deleted, so order lines, packing lists and labels keep it.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, select

from marketplace.core.audit import record
from marketplace.core.errors import DomainError, NotFound
from marketplace.catalog.models import ListingStatus, ListingVariant, live_variants, summarise
from marketplace.catalog.pricing import parse_price
from marketplace.catalog.size_terms import clean_size
from marketplace.catalog.services.listings import _locked_listing
from marketplace.catalog.services.mass_balance import check_listing_fits, check_weight_frozen
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


@dataclass(frozen=True)
class VariantDetails:
    """A size as the seller typed it."""

    label: str
    price: str
    stock: int | None
    weight_grams: int | None = None


def _clean(details: VariantDetails) -> dict:
    config = current_app.config
    label, stock, weight = clean_size(details.label, details.stock, details.weight_grams, label_field="label")
    return {"label": label, "price_minor": parse_price(details.price, config["LISTING_PRICE_MAX_MINOR"]),
            "stock": stock, "weight_grams": weight}


def _after_change(user, listing, action: str, variant: ListingVariant, previous_batch_id=None) -> None:
    summarise(listing)
    if listing.status == ListingStatus.ACTIVE and listing.stock == 0:
        listing.status = ListingStatus.SOLD_OUT
    elif listing.status == ListingStatus.SOLD_OUT and listing.stock > 0:
        listing.status = ListingStatus.ACTIVE
    db.session.flush()
    check_listing_fits(listing, previous_batch_id=previous_batch_id)
    record(f"listing.variant_{action}", "listing", listing.id, actor=user,
           county_code=listing.cooperative.county_code, variant_id=variant.id, label=variant.label,
           price_minor=variant.price_minor, stock=variant.stock, weight_grams=variant.weight_grams)


def add_variant(user, listing_id: int, details: VariantDetails) -> ListingVariant:
    """Add a size to a listing of the user's cooperative."""
    values = _clean(details)
    with write_transaction():
        listing = _locked_listing(user, listing_id)
        if len(live_variants(listing)) >= current_app.config["LISTING_MAX_VARIANTS"]:
            raise DomainError(_("A listing has at most %(count)s sizes.",
                                 count=current_app.config["LISTING_MAX_VARIANTS"]), "label")
        position = max((v.position for v in listing.variants), default=-1) + 1
        variant = ListingVariant(position=position, units_sold=0, **values)
        listing.variants.append(variant)
        db.session.flush()
        _after_change(user, listing, "added", variant)
        return variant


def _locked_variant(user, listing_id: int, variant_id: int):
    listing = _locked_listing(user, listing_id)
    variant = next((v for v in listing.variants if v.id == variant_id), None)
    if variant is None:
        raise NotFound(_("This size is not one of this listing's."))
    return listing, variant


def update_variant(user, listing_id: int, variant_id: int, details: VariantDetails,
                   stock_seen: int | None = None) -> ListingVariant:
    """Change a size; its stock moves by what the seller changed since they loaded the form."""
    values = _clean(details)
    with write_transaction():
        listing, variant = _locked_variant(user, listing_id, variant_id)
        if variant.is_retired:
            raise DomainError(_("This size is retired: add a new one instead."), "label")
        seen = variant.stock if stock_seen is None else stock_seen
        stock = variant.stock + (values.pop("stock") - seen)
        if stock < 0:
            raise DomainError(_("Orders took stock while you were editing: %(now)s left. "
                                 "Check the figure and save again.", now=variant.stock), "stock")
        if stock > current_app.config["LISTING_STOCK_MAX"]:
            raise DomainError(_("This stock is too large."), "stock")
        if listing.batch_id is not None or listing.presale_ships_from is not None:
            check_weight_frozen(variant, values["weight_grams"])
        for name, value in values.items():
            setattr(variant, name, value)
        variant.stock = stock
        _after_change(user, listing, "changed", variant)
        return variant


def has_orders(variant_id: int) -> bool:
    """Say whether any order line names this size (orders own that table; read by name)."""
    lines = db.metadata.tables["order_lines"]
    return bool(db.session.scalar(select(exists().where(lines.c.variant_id == variant_id))))


def remove_variant(user, listing_id: int, variant_id: int) -> str:
    """Take a size off sale: deleted if never ordered, else retired. Return "deleted" or "retired"."""
    with write_transaction():
        listing, variant = _locked_variant(user, listing_id, variant_id)
        if variant.is_retired:
            return "retired"
        if len(live_variants(listing)) <= 1:
            raise DomainError(_("A listing needs at least one size on sale. Pause the listing instead."), "variant")
        if has_orders(variant.id) or variant.units_sold:
            # Its unsold stock goes off sale (and gives the batch back its kilograms).
            variant.retired_at, variant.stock = utcnow(), 0
            _after_change(user, listing, "retired", variant)
            return "retired"
        listing.variants.remove(variant)
        db.session.delete(variant)
        _after_change(user, listing, "deleted", variant)
        return "deleted"
