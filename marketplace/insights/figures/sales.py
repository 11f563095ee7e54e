"""Sales of the month: GMV, orders, buyers, average basket, share of GI-certified goods.

Counted on the goods (order lines, shipping left out) of sub-orders paid in the month, at
the price paid. A refund made later does not reduce the month of the sale: it is counted
in the month it is made (see service.py), so a published month never moves. A line is
GI-certified when its listing's batch held a certificate valid at the moment of payment.
The cuts are the cooperative's province and county (where the goods come from), the GI
product, the listing's category, and whether the county is lifted out of poverty; the
"cooperative" cut is for officials' drill-down and is never published.
"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.catalog.models import Batch, Listing
from marketplace.certification.models import BatchCertificate
from marketplace.cooperatives.models import Cooperative, County
from marketplace.extensions import db
from marketplace.insights.figures.common import Cells, Figure, MonthWindow, share
from marketplace.orders.models import Order, OrderLine, SubOrder
from marketplace.core.timeutil import as_utc

#: The cuts of the public index, and the officials' drill-down.
DIMENSIONS = ("all", "province", "county", "gi_product", "category", "poverty", "cooperative")


def sold_lines(window: MonthWindow):
    """One row per order line of a sub-order paid in the month, with everything the cuts need."""
    return db.session.execute(
        select(OrderLine.line_total_minor, SubOrder.order_id, Order.buyer_id, SubOrder.cooperative_id,
               SubOrder.paid_at, Cooperative.county_code, County.province_zh, County.poverty_lifted,
               Listing.category, Batch.standard_slug, BatchCertificate.valid_from,
               BatchCertificate.valid_until, BatchCertificate.number)
        .join(SubOrder, SubOrder.id == OrderLine.sub_order_id)
        .join(Order, Order.id == SubOrder.order_id)
        .join(Cooperative, Cooperative.id == SubOrder.cooperative_id)
        .join(County, County.code == Cooperative.county_code)
        .join(Listing, Listing.id == OrderLine.listing_id)
        .outerjoin(Batch, Batch.id == Listing.batch_id)
        .outerjoin(BatchCertificate, BatchCertificate.batch_id == Batch.id)
        .where(SubOrder.paid_at >= window.naive_start, SubOrder.paid_at < window.naive_end)
        .execution_options(yield_per=5000))


def certified_at_payment(row) -> bool:
    if row.number is None or row.valid_until is None:
        return False
    paid = as_utc(row.paid_at)
    return (row.valid_from is None or as_utc(row.valid_from) <= paid) and paid < as_utc(row.valid_until)


def poverty_key(flag) -> str:
    return "lifted" if flag else "other"


def compute(window: MonthWindow) -> list[Figure]:
    cells = Cells()
    for row in sold_lines(window):
        certified = certified_at_payment(row)
        cuts = [("all", ""), ("province", row.province_zh), ("county", row.county_code),
                ("gi_product", row.standard_slug), ("category", row.category),
                ("poverty", poverty_key(row.poverty_lifted)), ("cooperative", str(row.cooperative_id))]
        for cell in cells.cuts(cuts):
            cell.amount += row.line_total_minor
            cell.part += row.line_total_minor if certified else 0
            cell.cooperatives.add(row.cooperative_id)
            cell.orders.add(row.order_id)
            cell.buyers.add(row.buyer_id)
    figures = []
    for (dimension, key), cell in cells.items():
        support = len(cell.cooperatives)
        orders = len(cell.orders)
        values = {"gmv": cell.amount, "orders": orders, "buyers": len(cell.buyers),
                  "avg_basket": round(cell.amount / orders) if orders else 0,
                  "gi_share": share(cell.part, cell.amount)}
        figures.extend(Figure(metric, dimension, key, value, support) for metric, value in values.items())
    return figures
