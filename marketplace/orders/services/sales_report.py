"""A cooperative's sales, netted of refunds: by day, by month, and by product.

Money by day and month comes from the settlement ledger (sales less refunds, before
commission), so the report always agrees with the statements. By product, it counts the
lines of paid sub-orders, less those of sub-orders refunded in full (the only refunds the
shop makes today are whole sub-orders; a partial refund stays on the money figures).
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import EntryKind, LedgerEntry, OrderLine, SubOrder
from marketplace.core.timeutil import as_utc, utcnow

GROUPINGS = ("day", "month", "product")
#: How far back the day and month views reach.
DAYS_SHOWN = 31
MONTHS_SHOWN = 12


@dataclass(frozen=True)
class SalesRow:
    label: str
    amount_minor: int
    quantity: int | None = None


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def by_period(cooperative_id: int, grouping: str) -> list[SalesRow]:
    """Net sales per day (last 31 days) or month (last 12), oldest first, empty periods included."""
    now = utcnow().astimezone(_zone())
    if grouping == "day":
        labels = [(now - timedelta(days=back)).strftime("%Y-%m-%d") for back in range(DAYS_SHOWN - 1, -1, -1)]
        fmt = "%Y-%m-%d"
    else:
        year, month, labels = now.year, now.month, []
        for _ in range(MONTHS_SHOWN):
            labels.append(f"{year:04d}-{month:02d}")
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        labels.reverse()
        fmt = "%Y-%m"
    totals = OrderedDict((label, 0) for label in labels)
    since = utcnow() - timedelta(days=DAYS_SHOWN + 1 if grouping == "day" else 31 * MONTHS_SHOWN + 1)
    rows = db.session.execute(select(LedgerEntry.created_at, LedgerEntry.amount_minor).where(
        LedgerEntry.cooperative_id == cooperative_id, LedgerEntry.created_at >= since,
        LedgerEntry.kind.in_((EntryKind.SALE, EntryKind.REFUND))))
    for created_at, amount in rows:
        label = as_utc(created_at).astimezone(_zone()).strftime(fmt)
        if label in totals:
            totals[label] += amount
    return [SalesRow(label, amount) for label, amount in totals.items()]


def by_product(cooperative_id: int) -> list[SalesRow]:
    """Units and net money per product title, most sold first."""
    rows = db.session.execute(
        select(OrderLine.title, func.sum(OrderLine.quantity), func.sum(OrderLine.line_total_minor))
        .join(SubOrder, SubOrder.id == OrderLine.sub_order_id)
        .where(SubOrder.cooperative_id == cooperative_id, SubOrder.paid_at.is_not(None),
               SubOrder.refunded_minor < SubOrder.total_minor)
        .group_by(OrderLine.title).order_by(func.sum(OrderLine.line_total_minor).desc(), OrderLine.title))
    return [SalesRow(title, int(amount or 0), int(quantity or 0)) for title, quantity, amount in rows]


def report(cooperative_id: int, grouping: str) -> list[SalesRow]:
    return by_product(cooperative_id) if grouping == "product" else by_period(cooperative_id, grouping)
