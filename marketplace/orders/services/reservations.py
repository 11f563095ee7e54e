"""Taking stock off the shelf for an order, and putting it back.

A reservation is one conditional UPDATE per listing ("only if that many are left and the
listing is on sale"), checked for the row it changed, taken in listing-id order so that
two baskets never wait on each other in a circle. The caller's transaction makes the
whole basket all or nothing; the database CHECK keeps stock from going below zero even
if a bug slipped past the condition. Each move also counts the units in `units_sold`, so
that stock + units_sold (what a listing takes of its batch) stays as the seller set it.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, select, update

from marketplace.catalog.models import Listing, ListingStatus
from marketplace.extensions import db
from marketplace.orders.services.errors import SoldOut
from marketplace.orders.signals import listings_availability_changed


def _totals(lines: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    counter: Counter[int] = Counter()
    for listing_id, quantity in lines:
        counter[int(listing_id)] += int(quantity)
    return sorted(counter.items())


def reserve_stock(lines: Iterable[tuple[int, int]]) -> None:
    """Take each (listing id, quantity) off stock, or raise SoldOut at the first that cannot.

    The caller rolls back on SoldOut, which gives back what earlier lines took.
    """
    totals = _totals(lines)
    sold_out: list[int] = []
    for listing_id, quantity in totals:
        row = db.session.execute(
            update(Listing)
            .where(Listing.id == listing_id, Listing.stock >= quantity,
                   Listing.status == ListingStatus.ACTIVE)
            .values(stock=Listing.stock - quantity, units_sold=Listing.units_sold + quantity,
                    status=case((Listing.stock == quantity, ListingStatus.SOLD_OUT), else_=Listing.status))
            .returning(Listing.stock)
            .execution_options(synchronize_session=False)
        ).first()
        if row is None:
            raise SoldOut(_sold_out_message(listing_id, quantity), listing_id)
        if row.stock == 0:
            sold_out.append(listing_id)
    _forget_listings(listing_id for listing_id, _q in totals)
    if sold_out:
        _announce(sold_out)


def release_stock(lines: Iterable[tuple[int, int]]) -> None:
    """Put quantities back on sale; a listing sold out by orders becomes active again."""
    totals = _totals(lines)
    for listing_id, quantity in totals:
        db.session.execute(
            update(Listing)
            .where(Listing.id == listing_id)
            .values(stock=Listing.stock + quantity,
                    units_sold=case((Listing.units_sold >= quantity, Listing.units_sold - quantity), else_=0),
                    status=case((Listing.status == ListingStatus.SOLD_OUT, ListingStatus.ACTIVE),
                                else_=Listing.status))
            .execution_options(synchronize_session=False)
        )
    _forget_listings(listing_id for listing_id, _q in totals)
    _announce([listing_id for listing_id, _q in totals])


def _announce(listing_ids: list[int]) -> None:
    """Tell whoever listens (search) that these listings went on or off sale, in this transaction."""
    listings_availability_changed.send(current_app._get_current_object(), listing_ids=listing_ids)


def _forget_listings(listing_ids) -> None:
    """Drop stale stock figures from the session after the UPDATEs above."""
    wanted = set(listing_ids)
    for instance in list(db.session.identity_map.values()):
        if isinstance(instance, Listing) and instance.id in wanted:
            db.session.expire(instance, ["stock", "units_sold", "status", "updated_at"])


def _sold_out_message(listing_id: int, quantity: int) -> str:
    row = db.session.execute(
        select(Listing.title, Listing.stock, Listing.status).where(Listing.id == listing_id)
    ).one_or_none()
    if row is None:
        return _("A product in your cart no longer exists.")
    title, stock, status = row
    if status == ListingStatus.PAUSED or status == ListingStatus.DRAFT:
        return _("“%(title)s” is no longer for sale. Remove it from your cart.", title=title)
    if stock <= 0 or status == ListingStatus.SOLD_OUT:
        return _("Sorry, “%(title)s” is sold out.", title=title)
    return _("Only %(stock)d of “%(title)s” left, fewer than the %(quantity)d in your cart. "
             "Lower the quantity and try again.", stock=stock, title=title, quantity=quantity)
