"""Service: refunds, cancellations, after-sales (returns and refunds asked for) and complaints.

Refund rate: sub-orders given money back in the month (a refund that succeeded, or was
made by hand for offline payment, dated by when it was asked) over sub-orders paid in the
month. Cancellation rate: sub-orders cancelled in the month over sub-orders placed in the
month. After-sale rate: sub-orders whose buyer asked for a refund or a return after
delivery (an after-sale request, dated when asked, whatever came of it) over sub-orders
paid in the month; the return rate counts only the requests to send the goods back.
Complaints per 1,000 orders: complaints about a cooperative (an order, a listing, the
cooperative, a package code it certified) filed in the month, per 1,000 sub-orders paid in
the month (an order is each cooperative's part: the unit the other rates count);
complaints upheld are those a supervisor upheld in the month. Each figure is dated by an
event of its month, so a month once published never moves. Cut like the sales: the
cooperative's province, county and poverty flag, and the GI product and category of the
goods (a sub-order counts once in each product and category it holds).
"""
from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from marketplace.catalog.models import Batch, Listing
from marketplace.cooperatives.models import Cooperative, County
from marketplace.extensions import db
from marketplace.insights.figures.common import Cells, Figure, MonthWindow, share
from marketplace.insights.figures.sales import poverty_key
from marketplace.orders.models import Order, OrderLine, Refund, RefundStatus, SubOrder
from marketplace.orders.models.after_sale import AfterSaleKind, AfterSaleRequest
from marketplace.supervision.models import Complaint, ComplaintStatus

GIVEN_BACK = (RefundStatus.SUCCEEDED, RefundStatus.MANUAL)


def _located(statement, cooperative_column, sub_order_column=None):
    """Add every cut to a statement of (id, cooperative id): the cooperative's county, province
    and poverty flag, and the category and GI product of each line of the sub-order (one row
    per line: the tally counts each id once per cut)."""
    statement = (statement.join(Cooperative, Cooperative.id == cooperative_column)
                 .join(County, County.code == Cooperative.county_code))
    if sub_order_column is not None:
        statement = (statement.join(OrderLine, OrderLine.sub_order_id == sub_order_column)
                     .join(Listing, Listing.id == OrderLine.listing_id))
    return (statement.outerjoin(Batch, Batch.id == Listing.batch_id)
            .add_columns(Cooperative.county_code, County.province_zh, County.poverty_lifted, Listing.category,
                         Batch.standard_slug))


def _sub_orders(window: MonthWindow, *conditions, join_order: bool = False):
    statement = _located(select(SubOrder.id, SubOrder.cooperative_id), SubOrder.cooperative_id, SubOrder.id)
    if join_order:
        statement = statement.join(Order, Order.id == SubOrder.order_id)
    return db.session.execute(statement.where(*conditions).execution_options(yield_per=5000))


def _after_sales(window: MonthWindow, *kinds: AfterSaleKind):
    statement = _located(select(AfterSaleRequest.sub_order_id, AfterSaleRequest.cooperative_id),
                         AfterSaleRequest.cooperative_id, AfterSaleRequest.sub_order_id)
    return db.session.execute(statement.where(
        AfterSaleRequest.kind.in_(kinds), AfterSaleRequest.created_at >= window.naive_start,
        AfterSaleRequest.created_at < window.naive_end))


def _complaints(moment, window: MonthWindow, *conditions):
    """Complaints about a cooperative whose `moment` (filed, decided) falls in the month.

    A complaint about a listing is cut by that listing's product; one about an order by the
    products of the cooperative's part of it; one about the cooperative alone by none.
    """
    part, line = aliased(SubOrder), aliased(OrderLine)
    statement = (select(Complaint.id, Complaint.cooperative_id)
                 .outerjoin(part, and_(part.order_id == Complaint.order_id,
                                       part.cooperative_id == Complaint.cooperative_id))
                 .outerjoin(line, line.sub_order_id == part.id)
                 .outerjoin(Listing, Listing.id == func.coalesce(Complaint.listing_id, line.listing_id)))
    statement = _located(statement, Complaint.cooperative_id)
    return db.session.execute(statement.where(moment >= window.start, moment < window.end, *conditions))


def _tally(cells: Cells, rows, attribute: str = "orders") -> Cells:
    for ident, cooperative_id, county, province, poverty, category, product in rows:
        for cell in cells.cuts([("all", ""), ("province", province), ("county", county),
                                ("poverty", poverty_key(poverty)), ("category", category),
                                ("gi_product", product)]):
            getattr(cell, attribute).add(ident)
            cell.cooperatives.add(cooperative_id)
    return cells


def _rates(counted: Cells, base: Cells, count_metric: str, rate_metric: str, per: int = 100) -> list[Figure]:
    """A count and its rate (per 100: a percentage; per 1,000) for every cut either side has.

    Support is every cooperative behind the count or the base, as for the refund rate.
    """
    figures = []
    for cut in set(counted) | set(base):
        count = len(counted[cut].orders) if cut in counted else 0
        whole = len(base[cut].orders) if cut in base else 0
        support = len((counted[cut].cooperatives if cut in counted else set())
                      | (base[cut].cooperatives if cut in base else set()))
        rate = share(count, whole) if per == 100 else (round(per * count / whole, 1) if whole else 0.0)
        figures += [Figure(count_metric, *cut, count, support), Figure(rate_metric, *cut, rate, support)]
    return figures


def compute(window: MonthWindow) -> list[Figure]:
    start, end = window.naive_start, window.naive_end
    refunded_ids = (select(Refund.sub_order_id)
                    .where(Refund.status.in_(GIVEN_BACK), Refund.created_at >= start, Refund.created_at < end))
    paid = _tally(Cells(), _sub_orders(window, SubOrder.paid_at >= start, SubOrder.paid_at < end))
    refunded = _tally(Cells(), _sub_orders(window, SubOrder.id.in_(refunded_ids)))
    placed = _tally(Cells(), _sub_orders(window, Order.placed_at >= start, Order.placed_at < end, join_order=True))
    cancelled = _tally(Cells(), _sub_orders(window, SubOrder.cancelled_at >= start, SubOrder.cancelled_at < end))
    after_sales = _tally(Cells(), _after_sales(window, AfterSaleKind.REFUND, AfterSaleKind.RETURN))
    returns = _tally(Cells(), _after_sales(window, AfterSaleKind.RETURN))
    filed = _tally(Cells(), _complaints(Complaint.created_at, window, Complaint.cooperative_id.is_not(None)))
    upheld = _tally(Cells(), _complaints(Complaint.decided_at, window, Complaint.status == ComplaintStatus.UPHELD))
    figures = (_rates(refunded, paid, "refunds", "refund_rate") + _rates(cancelled, placed, "cancellations",
                                                                          "cancellation_rate")
               + _rates(after_sales, paid, "after_sales", "after_sale_rate")
               + _rates(returns, paid, "returns", "return_rate")
               + _rates(filed, paid, "complaints", "complaints_per_1000", per=1000))
    figures += [Figure("complaints_upheld", dimension, key, len(cell.orders), len(cell.cooperatives))
                for (dimension, key), cell in upheld.items()]
    return figures
