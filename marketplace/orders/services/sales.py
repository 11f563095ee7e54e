"""Units sold of a listing, as cards and product pages show them: from paid orders only.

`Listing.units_sold` also counts units held by orders still waiting for payment (they
are reserved); a shopper reading "sold" expects paid orders, so the figure is summed from
order lines whose parcel was paid and not cancelled or refunded since.
"""
from __future__ import annotations

from flask import g
from sqlalchemy import func, select

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
    """One listing's figure, remembered for the rest of the request (a page may show it twice)."""
    memo = g.setdefault("units_sold", {})
    if listing_id not in memo:
        memo[listing_id] = units_sold([listing_id]).get(int(listing_id), 0)
    return memo[listing_id]
