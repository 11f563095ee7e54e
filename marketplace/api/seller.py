"""What a cooperative's systems may do with a token, through the seller pages' own services.

Stock and price go through `catalog.services.listings.update_listing`, so the mass balance
of the batch, protected names and going-live rules hold exactly as on the seller's form;
shipping goes through `orders.services.fulfilment.ship`. What is added here is the token's
boundary: only the token's own cooperative's listings and parcels exist for it.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.api.http import ApiRefusal
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.catalog.services.listings import ListingDetails, update_listing
from marketplace.extensions import db
from marketplace.orders.models import SubOrder
from marketplace.orders.services import fulfilment, queries


def listings_page(token, page: int, per_page: int) -> tuple[list[Listing], int]:
    query = select(Listing).where(Listing.cooperative_id == token.cooperative_id)
    total = db.session.scalar(select(db.func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.options(selectinload(Listing.batch), selectinload(Listing.cooperative))
                              .order_by(Listing.id).limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), total


def listing_of(token, listing_id: int) -> Listing:
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.cooperative_id != token.cooperative_id:
        raise ApiRefusal("not-found")
    return listing


def _price_text(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def update_stock_and_price(token, listing_id: int, *, price_minor: int | None = None,
                           stock: int | None = None, stock_seen: int | None = None) -> Listing:
    """Change a listing's price and/or stock as the seller's form would.

    Without `stock`, the stock is left as it is under the lock (a change of zero from the
    figure read here), so an order placed meanwhile is kept. A sold-out listing that gets
    stock again goes back on sale, under the rules of going live.
    """
    listing = listing_of(token, listing_id)
    seen = listing.stock
    wanted = seen if stock is None else stock
    if stock is None:
        stock_seen = seen
    status = listing.status
    if status == ListingStatus.SOLD_OUT and wanted > 0:
        status = ListingStatus.ACTIVE
    details = ListingDetails(
        title=listing.title, description=listing.description, category=listing.category,
        price=_price_text(listing.price_minor if price_minor is None else price_minor), unit=listing.unit,
        stock=wanted, status=status.value, weight_grams=listing.weight_grams, batch_id=listing.batch_id)
    return update_listing(token.user, listing_id, details, stock_seen=stock_seen)


def parcels_page(token, status: str, page: int, per_page: int) -> tuple[list[SubOrder], int]:
    """The cooperative's parcels by the seller page's filters, newest first."""
    subs = queries.seller_sub_orders(token.user, token.cooperative_id, status)
    return subs[(page - 1) * per_page: page * per_page], len(subs)


def ship(token, sub_order_id: int, carrier: str, tracking_number: str) -> SubOrder:
    sub = db.session.get(SubOrder, sub_order_id)
    if sub is None or sub.cooperative_id != token.cooperative_id:
        raise ApiRefusal("not-found")
    return fulfilment.ship(token.user, sub_order_id, carrier, tracking_number)
