"""Taking stock off the shelf for an order, and putting it back.

A reservation is one conditional UPDATE per variant ("only if that many of this size are
left"), checked for the row it changed. Before its variants, the listing's row is updated
too ("only if it is on sale and holds that many in all"): that keeps the listing's summary
stock in step and locks the listing, so two baskets take a listing's variants one after the
other. Rows are taken in (listing id, variant id) order, so two baskets never wait on each
other in a circle. The caller's transaction makes the whole basket all or nothing; the
database CHECKs keep stock from going below zero even if a bug slipped past a condition.
Each move also counts the units in `units_sold`, so that stock + units_sold (what a variant
takes of its batch) stays as the seller set it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, select, update

from marketplace.catalog.models import Listing, ListingStatus, ListingVariant, product_name
from marketplace.extensions import db
from marketplace.orders.services.errors import SoldOut
from marketplace.orders.signals import listings_availability_changed


def _by_listing(lines: Iterable[tuple[int, int]]) -> list[tuple[int, list[tuple[int, int]]]]:
    """Group (variant id, quantity) lines by listing, both in id order."""
    counter: Counter[int] = Counter()
    for variant_id, quantity in lines:
        counter[int(variant_id)] += int(quantity)
    owners = dict(db.session.execute(
        select(ListingVariant.id, ListingVariant.listing_id).where(ListingVariant.id.in_(counter))).all()
    ) if counter else {}
    missing = sorted(set(counter) - set(owners))
    if missing:
        raise SoldOut(_("A product in your cart no longer exists."), None)
    grouped: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for variant_id, quantity in sorted(counter.items()):
        grouped[owners[variant_id]].append((variant_id, quantity))
    return sorted(grouped.items())


def reserve_stock(lines: Iterable[tuple[int, int]]) -> None:
    """Take each (variant id, quantity) off stock, or raise SoldOut at the first that cannot.

    The caller rolls back on SoldOut, which gives back what earlier lines took.
    """
    groups = _by_listing(lines)
    sold_out: list[int] = []
    for listing_id, variants in groups:
        total = sum(quantity for _v, quantity in variants)
        row = db.session.execute(
            update(Listing)
            .where(Listing.id == listing_id, Listing.stock >= total, Listing.status == ListingStatus.ACTIVE)
            .values(stock=Listing.stock - total, units_sold=Listing.units_sold + total,
                    status=case((Listing.stock == total, ListingStatus.SOLD_OUT), else_=Listing.status))
            .returning(Listing.stock)
            .execution_options(synchronize_session=False)
        ).first()
        if row is None:
            raise SoldOut(_sold_out_message(listing_id, variants[0][0], total), listing_id)
        for variant_id, quantity in variants:
            taken = db.session.execute(
                update(ListingVariant)
                .where(ListingVariant.id == variant_id, ListingVariant.listing_id == listing_id,
                       ListingVariant.stock >= quantity, ListingVariant.retired_at.is_(None))
                .values(stock=ListingVariant.stock - quantity, units_sold=ListingVariant.units_sold + quantity)
                .returning(ListingVariant.id)
                .execution_options(synchronize_session=False)
            ).first()
            if taken is None:
                raise SoldOut(_sold_out_message(listing_id, variant_id, quantity), listing_id)
        if row.stock == 0:
            sold_out.append(listing_id)
    _forget([listing_id for listing_id, _v in groups], [v for _l, vs in groups for v, _q in vs])
    if sold_out:
        _announce(sold_out)


def release_stock(lines: Iterable[tuple[int, int]]) -> None:
    """Put (variant id, quantity) back on sale; a listing sold out by orders becomes active again.

    A retired variant's units are not put back on sale: they are counted off as sold no more.
    """
    groups = _by_listing(lines)
    for listing_id, variants in groups:
        back_on_sale = 0
        for variant_id, quantity in variants:
            variant = db.session.execute(
                update(ListingVariant).where(ListingVariant.id == variant_id)
                .values(stock=case((ListingVariant.retired_at.is_(None), ListingVariant.stock + quantity),
                                   else_=ListingVariant.stock),
                        units_sold=case((ListingVariant.units_sold >= quantity, ListingVariant.units_sold - quantity),
                                        else_=0))
                .returning(ListingVariant.retired_at)
                .execution_options(synchronize_session=False)
            ).first()
            back_on_sale += quantity if variant is not None and variant.retired_at is None else 0
        total = sum(quantity for _v, quantity in variants)
        db.session.execute(
            update(Listing)
            .where(Listing.id == listing_id)
            .values(stock=Listing.stock + back_on_sale,
                    units_sold=case((Listing.units_sold >= total, Listing.units_sold - total), else_=0),
                    status=case((Listing.status == ListingStatus.SOLD_OUT, ListingStatus.ACTIVE),
                                else_=Listing.status) if back_on_sale else Listing.status)
            .execution_options(synchronize_session=False)
        )
    _forget([listing_id for listing_id, _v in groups], [v for _l, vs in groups for v, _q in vs])
    _announce([listing_id for listing_id, _v in groups])


def _announce(listing_ids: list[int]) -> None:
    """Tell whoever listens (search) that these listings went on or off sale, in this transaction."""
    listings_availability_changed.send(current_app._get_current_object(), listing_ids=listing_ids)


def _forget(listing_ids, variant_ids) -> None:
    """Drop stale stock figures from the session after the UPDATEs above."""
    listings, variants = set(listing_ids), set(variant_ids)
    for instance in list(db.session.identity_map.values()):
        if isinstance(instance, Listing) and instance.id in listings:
            db.session.expire(instance, ["stock", "units_sold", "status", "updated_at"])
        elif isinstance(instance, ListingVariant) and instance.id in variants:
            db.session.expire(instance, ["stock", "units_sold"])


def _sold_out_message(listing_id: int, variant_id: int, quantity: int) -> str:
    listing = db.session.get(Listing, listing_id, populate_existing=True)
    variant = db.session.get(ListingVariant, variant_id, populate_existing=True)
    if listing is None or variant is None or variant.listing_id != listing.id:
        return _("A product in your cart no longer exists.")
    if listing.status in (ListingStatus.PAUSED, ListingStatus.DRAFT) or variant.is_retired:
        return _("“%(title)s” is no longer for sale. Remove it from your cart.", title=listing.title)
    name = product_name(listing, variant)
    if variant.stock <= 0 or listing.status == ListingStatus.SOLD_OUT:
        return _("Sorry, “%(title)s” is sold out.", title=name)
    return _("Only %(stock)d of “%(title)s” left, fewer than the %(quantity)d in your cart. "
             "Lower the quantity and try again.", stock=variant.stock, title=name, quantity=quantity)
