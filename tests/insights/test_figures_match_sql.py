"""Every figure, computed again by a plain SQL query over the demo data, matches the index."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text

from marketplace.extensions import db
from marketplace.insights import snapshots
from marketplace.insights.figures import compute_month
from marketplace.insights.figures.common import percentile

# Loading the whole demo takes about a minute on an idle machine and several on a loaded
# one: this timeout guards against a hang, it is not a speed limit.
pytestmark = pytest.mark.timeout(1800)


SOLD = """
  FROM order_lines l JOIN sub_orders s ON s.id = l.sub_order_id JOIN orders o ON o.id = s.order_id
  JOIN cooperatives c ON c.id = s.cooperative_id JOIN counties k ON k.code = c.county_code
  WHERE s.paid_at >= :start AND s.paid_at < :end"""

#: (metric, dimension, SQL giving (key, value) rows)
PLAIN_SQL = [
    ("gmv", "all", "SELECT '', SUM(l.line_total_minor)" + SOLD),
    ("gmv", "province", "SELECT k.province_zh, SUM(l.line_total_minor)" + SOLD + " GROUP BY k.province_zh"),
    ("gmv", "county", "SELECT c.county_code, SUM(l.line_total_minor)" + SOLD + " GROUP BY c.county_code"),
    ("gmv", "poverty", "SELECT CASE WHEN k.poverty_lifted THEN 'lifted' ELSE 'other' END, SUM(l.line_total_minor)"
     + SOLD + " GROUP BY CASE WHEN k.poverty_lifted THEN 'lifted' ELSE 'other' END"),
    ("orders", "all", "SELECT '', COUNT(DISTINCT s.order_id)" + SOLD),
    ("buyers", "all", "SELECT '', COUNT(DISTINCT o.buyer_id)" + SOLD),
    ("buyers", "poverty", "SELECT CASE WHEN k.poverty_lifted THEN 'lifted' ELSE 'other' END, "
     "COUNT(DISTINCT o.buyer_id)" + SOLD + " GROUP BY CASE WHEN k.poverty_lifted THEN 'lifted' ELSE 'other' END"),
    ("orders", "category", "SELECT li.category, COUNT(DISTINCT s.order_id) FROM order_lines l "
     "JOIN sub_orders s ON s.id = l.sub_order_id JOIN listings li ON li.id = l.listing_id "
     "WHERE s.paid_at >= :start AND s.paid_at < :end GROUP BY li.category"),
    ("new_cooperatives", "all", "SELECT '', COUNT(*) FROM cooperatives WHERE created_at >= :start AND created_at < :end"),
    ("active_cooperatives", "poverty", "SELECT CASE WHEN k.poverty_lifted THEN 'lifted' ELSE 'other' END, COUNT(*) "
     "FROM cooperatives c JOIN counties k ON k.code = c.county_code WHERE c.created_at <= :active_before "
     "AND c.id IN (SELECT cooperative_id FROM sub_orders WHERE paid_at >= :start AND paid_at < :end) "
     "GROUP BY CASE WHEN k.poverty_lifted THEN 'lifted' ELSE 'other' END"),
    ("listings_live", "all", "SELECT '', COUNT(*) FROM listings WHERE status = 'active' AND created_at < :end"),
    ("refunds", "all", "SELECT '', COUNT(DISTINCT sub_order_id) FROM refunds WHERE status IN ('succeeded', 'manual') "
     "AND created_at >= :start AND created_at < :end"),
    ("cancellations", "all", "SELECT '', COUNT(*) FROM sub_orders WHERE cancelled_at >= :start AND cancelled_at < :end"),
    ("after_sales", "all", "SELECT '', COUNT(DISTINCT sub_order_id) FROM after_sale_requests "
     "WHERE created_at >= :start AND created_at < :end"),
    ("returns", "province", "SELECT k.province_zh, COUNT(*) FROM after_sale_requests a JOIN cooperatives c "
     "ON c.id = a.cooperative_id JOIN counties k ON k.code = c.county_code WHERE a.kind = 'return' "
     "AND a.created_at >= :start AND a.created_at < :end GROUP BY k.province_zh"),
    ("complaints", "county", "SELECT c.county_code, COUNT(*) FROM complaints p JOIN cooperatives c "
     "ON c.id = p.cooperative_id WHERE p.created_at >= :start AND p.created_at < :end GROUP BY c.county_code"),
    ("complaints_upheld", "all", "SELECT '', COUNT(*) FROM complaints WHERE status = 'upheld' "
     "AND cooperative_id IS NOT NULL AND decided_at >= :start AND decided_at < :end"),
    ("searches", "all", "SELECT '', COUNT(*) FROM search_query_log WHERE searched_at >= :start AND searched_at < :end"),
    ("zero_result_searches", "all", "SELECT '', COUNT(*) FROM search_query_log WHERE result_count = 0 "
     "AND searched_at >= :start AND searched_at < :end"),
    ("authorizations_granted", "county", "SELECT county_code, COUNT(*) FROM audit_entries WHERE "
     "action = 'authorization.approved' AND created_at >= :start AND created_at < :end GROUP BY county_code"),
    ("certificates_granted", "all", "SELECT '', COUNT(*) FROM audit_entries WHERE action = 'certificate.certified' "
     "AND created_at >= :start AND created_at < :end"),
]


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result


def _params(month):
    from datetime import timedelta

    start, end = month.naive_bounds(snapshots.zone())
    return {"start": start, "end": end, "active_before": end - timedelta(days=30)}


def test_each_figure_equals_a_plain_sql_query_over_the_demo_data(app, demo):
    current = snapshots.current_month()
    months = [current.previous(), current.previous().previous(), current]
    checked = 0
    for month in months:
        figures = {(f.metric, f.dimension, f.key): f.value for f in compute_month(snapshots.window_for(month))
                   if not f.item}
        for metric, dimension, sql in PLAIN_SQL:
            expected = {str(key): float(value) for key, value in db.session.execute(text(sql), _params(month))
                        if value}
            got = {key: value for (m, d, key), value in figures.items() if m == metric and d == dimension and value}
            assert got == expected, (str(month), metric, dimension)
            checked += bool(expected)
    assert checked >= 15  # the demo data gives most figures something to count


def test_the_demo_has_sales_of_poverty_lifted_counties_and_a_published_history(app, demo):
    previous = snapshots.current_month().previous()
    assert snapshots.snapshot(previous).is_published
    figures = {(f.metric, f.dimension, f.key): f.value for f in compute_month(snapshots.window_for(previous))}
    assert figures[("gmv", "poverty", "lifted")] > 0


def test_delivery_times_equal_their_plain_sql_percentiles(app, demo):
    month = snapshots.current_month().previous()
    rows = db.session.execute(text(
        "SELECT o.province, s.paid_at, s.shipped_at FROM sub_orders s JOIN orders o ON o.id = s.order_id "
        "WHERE s.paid_at IS NOT NULL AND s.shipped_at >= :start AND s.shipped_at < :end"), _params(month)).all()
    hours: dict[str, list[float]] = {}
    for province, paid, shipped in rows:
        paid, shipped = (datetime.fromisoformat(v) if isinstance(v, str) else v for v in (paid, shipped))
        hours.setdefault(province, []).append((shipped - paid).total_seconds() / 3600)
    figures = {(f.metric, f.key): f.value for f in compute_month(snapshots.window_for(month))
               if f.dimension == "destination"}
    assert hours
    for province, values in hours.items():
        assert figures[("ship_hours_median", province)] == round(percentile(values, 0.5), 1)
        assert figures[("ship_hours_p90", province)] == round(percentile(values, 0.9), 1)
