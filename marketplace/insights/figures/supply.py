"""Rural supply: active and new cooperatives, and listings live.

Active: the cooperative was registered at least 30 days before the month ended and had at
least one sub-order paid in the month. New: registered in the month. Listings live: active
listings created before the month ended, as they stand when the month is computed (the
site keeps no history of a listing's status), so a published month keeps the count of
its publication day. These are counts of cooperatives and listings, which are public
anyway: they are not suppressed (see metrics.py).
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from marketplace.catalog.models import Listing, ListingStatus
from marketplace.cooperatives.models import Cooperative, County
from marketplace.extensions import db
from marketplace.insights.figures.common import Figure, MonthWindow
from marketplace.insights.figures.sales import poverty_key
from marketplace.orders.models import SubOrder

ACTIVE_AFTER_DAYS = 30


def _cuts(row) -> list[tuple[str, str]]:
    return [("all", ""), ("province", row.province_zh), ("county", row.county_code),
            ("poverty", poverty_key(row.poverty_lifted))]


def _count(metric: str, rows) -> list[Figure]:
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        for cut in _cuts(row):
            counts[cut] = counts.get(cut, 0) + (row.n if hasattr(row, "n") else 1)
    return [Figure(metric, dimension, key, value, value) for (dimension, key), value in counts.items()]


def compute(window: MonthWindow) -> list[Figure]:
    place = (Cooperative.county_code, County.province_zh, County.poverty_lifted)
    sold = (select(SubOrder.cooperative_id)
            .where(SubOrder.paid_at >= window.naive_start, SubOrder.paid_at < window.naive_end))
    active = db.session.execute(
        select(*place).join(County, County.code == Cooperative.county_code)
        .where(Cooperative.created_at <= window.naive_end - timedelta(days=ACTIVE_AFTER_DAYS),
               Cooperative.id.in_(sold)))
    new = db.session.execute(
        select(*place).join(County, County.code == Cooperative.county_code)
        .where(Cooperative.created_at >= window.naive_start, Cooperative.created_at < window.naive_end))
    listings = db.session.execute(
        select(*place, func.count(Listing.id).label("n"))
        .select_from(Listing).join(Cooperative, Cooperative.id == Listing.cooperative_id)
        .join(County, County.code == Cooperative.county_code)
        .where(Listing.status == ListingStatus.ACTIVE, Listing.created_at < window.naive_end)
        .group_by(*place))
    return (_count("active_cooperatives", active) + _count("new_cooperatives", new)
            + _count("listings_live", listings))
