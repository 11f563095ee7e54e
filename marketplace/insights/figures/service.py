"""Service: refunds and cancellations, as rates.

Refund rate: sub-orders given money back in the month (a refund that succeeded, or was
made by hand for offline payment, dated by when it was asked) over sub-orders paid in the
month. Cancellation rate: sub-orders cancelled in the month over sub-orders placed in the
month. Return and complaint rates are further metrics of this theme once those records
exist: a new metric name in the same snapshot, nothing else changes.
"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.cooperatives.models import Cooperative, County
from marketplace.extensions import db
from marketplace.insights.figures.common import Cells, Figure, MonthWindow, share
from marketplace.orders.models import Order, Refund, RefundStatus, SubOrder

GIVEN_BACK = (RefundStatus.SUCCEEDED, RefundStatus.MANUAL)


def _sub_orders(window: MonthWindow, *conditions, join_order: bool = False):
    statement = (select(SubOrder.id, SubOrder.cooperative_id, Cooperative.county_code, County.province_zh)
                 .join(Cooperative, Cooperative.id == SubOrder.cooperative_id)
                 .join(County, County.code == Cooperative.county_code))
    if join_order:
        statement = statement.join(Order, Order.id == SubOrder.order_id)
    return db.session.execute(statement.where(*conditions))


def _tally(cells: Cells, rows, attribute: str) -> None:
    for _, cooperative_id, county, province in rows:
        for cell in cells.cuts([("all", ""), ("province", province), ("county", county)]):
            getattr(cell, attribute).add(_)
            cell.cooperatives.add(cooperative_id)


def compute(window: MonthWindow) -> list[Figure]:
    start, end = window.naive_start, window.naive_end
    refunded_ids = (select(Refund.sub_order_id)
                    .where(Refund.status.in_(GIVEN_BACK), Refund.created_at >= start, Refund.created_at < end))
    paid, refunded, placed, cancelled = Cells(), Cells(), Cells(), Cells()
    _tally(paid, _sub_orders(window, SubOrder.paid_at >= start, SubOrder.paid_at < end), "orders")
    _tally(refunded, _sub_orders(window, SubOrder.id.in_(refunded_ids)), "orders")
    _tally(placed, _sub_orders(window, Order.placed_at >= start, Order.placed_at < end, join_order=True), "orders")
    _tally(cancelled, _sub_orders(window, SubOrder.cancelled_at >= start, SubOrder.cancelled_at < end), "orders")
    figures = []
    for metric, numerators, denominators in (("refund", refunded, paid), ("cancellation", cancelled, placed)):
        for cut in set(numerators) | set(denominators):
            count = len(numerators[cut].orders) if cut in numerators else 0
            base = len(denominators[cut].orders) if cut in denominators else 0
            support = len((numerators[cut].cooperatives if cut in numerators else set())
                          | (denominators[cut].cooperatives if cut in denominators else set()))
            figures += [Figure(f"{metric}s", *cut, count, support),
                        Figure(f"{metric}_rate", *cut, share(count, base), support)]
    return figures
