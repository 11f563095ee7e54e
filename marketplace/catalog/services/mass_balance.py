"""Mass balance: what a batch's listings offer and sold never weighs more than the batch.

Units offered (stock) plus units sold, over every listing linked to a batch, times each
listing's net weight per unit, stay within the batch's certified quantity. Orders move
units between `stock` and `units_sold` in one UPDATE, so their sum changes only when a
seller writes a listing (new listing, stock edit, weight, relinking); that is where it is
checked, in the same transaction, after locking the batch row (SELECT … FOR UPDATE on
PostgreSQL; SQLite's write transaction already holds the whole database). Two sellers
adding stock to two listings of one batch at once are thereby taken one after the other,
and the second sees what the first added.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.core.errors import DomainError
from marketplace.catalog.models import Batch, Listing
from marketplace.extensions import db


@dataclass(frozen=True)
class BatchBalance:
    """How much of a batch its listings hold, in grams."""

    batch_grams: int
    offered_grams: int
    sold_grams: int

    @property
    def committed_grams(self) -> int:
        return self.offered_grams + self.sold_grams

    @property
    def free_grams(self) -> int:
        return max(self.batch_grams - self.committed_grams, 0)

    @property
    def used_up(self) -> bool:
        return self.sold_grams >= self.batch_grams


def lock_batch(batch_id: int) -> Batch | None:
    """Read the batch again under a row lock, inside the caller's write transaction."""
    return db.session.scalar(select(Batch).where(Batch.id == batch_id).with_for_update()
                             .execution_options(populate_existing=True))


def balance_of(batch: Batch, *, excluding_listing_id: int | None = None) -> BatchBalance:
    """Sum what the batch's listings offer and sold (grams), as the database holds it now."""
    query = select(
        func.coalesce(func.sum(Listing.stock * Listing.weight_grams), 0),
        func.coalesce(func.sum(Listing.units_sold * Listing.weight_grams), 0),
    ).where(Listing.batch_id == batch.id)
    if excluding_listing_id is not None:
        query = query.where(Listing.id != excluding_listing_id)
    offered, sold = db.session.execute(query).one()
    return BatchBalance(batch.quantity_grams or 0, int(offered), int(sold))


def _kg(grams: int) -> str:
    text = f"{grams / 1000:,.3f}".rstrip("0").rstrip(".")
    return text or "0"


def check_listing_fits(listing: Listing, *, previous_batch_id: int | None = None) -> None:
    """Refuse a listing whose units would take the batch past its certified quantity.

    Call inside the write transaction, once the listing's new values are set; the listing
    row itself is already locked (or new). Raises DomainError naming the field to fix.
    """
    moved = previous_batch_id is not None and previous_batch_id != listing.batch_id
    if moved and listing.units_sold:
        # Sold units came from the first batch: moving them would let it be sold twice.
        raise DomainError(_("Units of this listing were sold from batch no. %(id)s, so it stays "
                             "linked to it. Pause it and create a new listing instead.",
                             id=previous_batch_id), "batch_id")
    if listing.batch_id is None:
        return
    if not listing.weight_grams:
        raise DomainError(_("A listing linked to a batch needs the net weight of one unit, in grams: "
                             "its units count against the batch's certified quantity."), "weight_grams")
    batch = lock_batch(listing.batch_id)
    if batch is None:
        raise DomainError(_("Choose one of your cooperative's batches."), "batch_id")
    if batch.quantity_grams is None:
        raise DomainError(_("Batch no. %(id)s has no certified quantity by weight. Record its quantity "
                             "in kilograms or tonnes before linking listings to it.", id=batch.id),
                           "batch_id")
    others = balance_of(batch, excluding_listing_id=listing.id)
    wanted = (listing.stock + listing.units_sold) * listing.weight_grams
    if others.committed_grams + wanted <= others.batch_grams:
        return
    room = max(others.batch_grams - others.committed_grams - listing.units_sold * listing.weight_grams, 0)
    raise DomainError(_(
        "Batch no. %(id)s holds %(batch)s kg, and its other listings already offer or sold "
        "%(taken)s kg: this listing can offer at most %(units)s units of %(weight)s g.",
        id=batch.id, batch=_kg(others.batch_grams), taken=_kg(others.committed_grams),
        units=room // listing.weight_grams, weight=listing.weight_grams), "stock")


def check_weight_frozen(listing: Listing, new_weight: int | None) -> None:
    """Refuse to change the unit weight of a linked listing that has sold units.

    Sold units are counted at the listing's weight; a lighter weight after the sale would
    give the batch back what was already sold.
    """
    if listing.batch_id is not None and listing.units_sold and new_weight != listing.weight_grams:
        raise DomainError(_("Units of this listing were sold at %(weight)s g each, so its weight stays. "
                             "Create a new listing for another size.", weight=listing.weight_grams),
                           "weight_grams")


def check_batch_quantity(batch: Batch) -> None:
    """Refuse a batch quantity below what its listings already offer and sold."""
    balance = balance_of(batch)
    if balance.committed_grams and (batch.quantity_grams is None
                                    or balance.committed_grams > batch.quantity_grams):
        raise DomainError(_("The listings of this batch already offer or sold %(kg)s kg: the quantity "
                             "cannot be less.", kg=_kg(balance.committed_grams)), "quantity")
