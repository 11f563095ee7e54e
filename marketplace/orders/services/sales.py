"""Units sold of a listing, as cards and product pages show them: from paid orders only.

`Listing.units_sold` also counts units held by orders still waiting for payment (they
are reserved); a shopper reading "sold" expects paid orders, so the figure is summed from
order lines whose parcel was paid and not cancelled or refunded since.
"""
from __future__ import annotations

from flask import g
from sqlalchemy import func, select

from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import OrderLine, OrderStatus, SubOrder

#: Parcels whose units count as sold.
SOLD = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED)


def units_sold(listing_ids) -> dict[int, int]:
    """Listing id → units of it in paid orders, for these listings (one grouped query)."""
    wanted = sorted({int(i) for i in listing_ids})
    if not wanted:
        return {}
    rows = db.session.execute(
        select(OrderLine.listing_id, func.sum(OrderLine.quantity))
        .join(SubOrder, SubOrder.id == OrderLine.sub_order_id)
        .where(OrderLine.listing_id.in_(wanted), SubOrder.status.in_(SOLD))
        .group_by(OrderLine.listing_id))
    return {listing_id: int(total or 0) for listing_id, total in rows}


def units_sold_of(listing_id: int) -> int:
    """One listing's figure, for a card or a product page.

    A page of cards asks for each of its listings in turn: the first miss fetches the
    figures of every listing the request has loaded (those are what the page shows) in one
    query, so a page costs one query, not one per card.
    """
    memo = g.setdefault("units_sold", {})
    listing_id = int(listing_id)
    if listing_id not in memo:
        loaded = {obj.id for obj in list(db.session.identity_map.values())
                  if isinstance(obj, Listing) and obj.id is not None}
        wanted = (loaded - memo.keys()) | {listing_id}
        found = units_sold(wanted)
        memo.update({key: found.get(key, 0) for key in wanted})
    return memo[listing_id]
