"""Logistics (Art. 15): hours from payment to shipping and from shipping to delivery.

Paid → shipped for sub-orders shipped in the month; shipped → delivered for those
delivered in the month; median and 90th percentile (nearest rank), by the province the
parcel went to.
"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.insights.figures.common import Cells, Figure, MonthWindow, percentile
from marketplace.orders.models import Order, SubOrder

#: (metric prefix, from column, to column: the month is the month of the second).
LEGS = (("ship_hours", SubOrder.paid_at, SubOrder.shipped_at),
        ("delivery_hours", SubOrder.shipped_at, SubOrder.delivered_at))


def compute(window: MonthWindow) -> list[Figure]:
    figures = []
    for prefix, begun, ended in LEGS:
        cells = Cells()
        rows = db.session.execute(
            select(begun, ended, SubOrder.cooperative_id, Order.province)
            .join(Order, Order.id == SubOrder.order_id)
            .where(begun.is_not(None), ended >= window.naive_start, ended < window.naive_end))
        for start, end, cooperative_id, province in rows:
            hours = max((end - start).total_seconds(), 0) / 3600
            for cell in cells.cuts([("all", ""), ("destination", province)]):
                cell.values.append(hours)
                cell.cooperatives.add(cooperative_id)
        for (dimension, key), cell in cells.items():
            support = len(cell.cooperatives)
            figures += [Figure(f"{prefix}_median", dimension, key, round(percentile(cell.values, 0.5), 1), support),
                        Figure(f"{prefix}_p90", dimension, key, round(percentile(cell.values, 0.9), 1), support),
                        Figure(f"{prefix}_count", dimension, key, len(cell.values), support)]
    return figures
