"""Return and complaint rates in the public index: counted by the month they were asked or
decided, cut like the other service figures, suppressed like them, frozen once published."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, update

from marketplace.extensions import db
from marketplace.insights import snapshots
from marketplace.insights.figures import compute_month
from marketplace.insights.models import InsightsFigure
from marketplace.orders.models import Order, SubOrder
from marketplace.orders.models.after_sale import (
    AfterSaleKind,
    AfterSaleRequest,
    AfterSaleStatus,
)
from marketplace.supervision.models import Complaint, ComplaintKind, ComplaintStatus

NEW_METRICS = ("after_sales", "after_sale_rate", "returns", "return_rate", "complaints", "complaints_per_1000",
               "complaints_upheld")


def _sub_orders(cooperative) -> list[SubOrder]:
    return db.session.scalars(select(SubOrder).where(SubOrder.cooperative_id == cooperative.id)
                              .order_by(SubOrder.id)).all()


def _after_sale(sub: SubOrder, kind: AfterSaleKind, at, status=AfterSaleStatus.REQUESTED) -> None:
    order = db.session.get(Order, sub.order_id)
    db.session.add(AfterSaleRequest(order_id=sub.order_id, sub_order_id=sub.id, cooperative_id=sub.cooperative_id,
                                    buyer_id=order.buyer_id, kind=kind, status=status, reason="坏了",
                                    requested_minor=100, created_at=at, updated_at=at))


def _complaint(cooperative, at, status=ComplaintStatus.RECEIVED, decided_at=None) -> None:
    db.session.add(Complaint(kind=ComplaintKind.COOPERATIVE, status=status, message="货不对板",
                             cooperative_id=cooperative.id if cooperative else None,
                             county_code=cooperative.county_code if cooperative else None,
                             created_at=at, deadline=date.today(), decided_at=decided_at))


@pytest.fixture
def month_with_after_sales(app, last_month, sales_in):
    """Five Hangzhou cooperatives and one in Heilongjiang, 20 orders each paid last month, with
    after-sale requests and complaints in and around that month."""
    cooperatives = sales_in(last_month, ["330106"] * 5 + ["230184"])
    start, _end = last_month.naive_bounds(snapshots.zone())
    inside, before = start + timedelta(days=10), start - timedelta(days=3)
    hangzhou, wuchang = cooperatives[:5], cooperatives[5]
    for cooperative, kinds in zip(hangzhou, ([AfterSaleKind.REFUND, AfterSaleKind.RETURN],
                                             [AfterSaleKind.REFUND, AfterSaleKind.RETURN],
                                             [AfterSaleKind.REFUND], [AfterSaleKind.RETURN], [])):
        for sub, kind in zip(_sub_orders(cooperative), kinds):
            _after_sale(sub, kind, inside)
    # Asked in the month before: counted there, not here, whatever came of it since.
    _after_sale(_sub_orders(hangzhou[4])[0], AfterSaleKind.RETURN, before, AfterSaleStatus.REFUNDED)
    _after_sale(_sub_orders(wuchang)[0], AfterSaleKind.RETURN, inside, AfterSaleStatus.REFUNDED)
    for cooperative in hangzhou + [hangzhou[0], wuchang]:
        _complaint(cooperative, inside)
    # Upheld in the month: one filed in it, one filed the month before (counted as filed then).
    _complaint(hangzhou[1], inside, ComplaintStatus.UPHELD, decided_at=inside + timedelta(days=2))
    _complaint(hangzhou[2], before, ComplaintStatus.UPHELD, decided_at=inside)
    # About a package code no cooperative stands behind: no one's rate.
    _complaint(None, inside)
    db.session.commit()
    return last_month, cooperatives


def _figures(month) -> dict:
    return {(f.metric, f.dimension, f.key): f for f in compute_month(snapshots.window_for(month)) if not f.item}


def _public(client, month, metric) -> dict:
    text = client.get(f"/insights/data/{month}.csv").get_data(as_text=True)
    return {(row["dimension"], row["key"]): row for row in csv.DictReader(io.StringIO(text))
            if row["metric"] == metric}


def test_the_rates_count_what_was_asked_and_decided_in_the_month(app, month_with_after_sales):
    month, _cooperatives = month_with_after_sales
    figures = _figures(month)

    def value(metric, dimension="all", key=""):
        return figures[(metric, dimension, key)].value

    # 120 sub-orders paid; 7 after-sale requests in the month: 3 refunds, 4 returns (one in Heilongjiang).
    assert (value("after_sales"), value("returns")) == (7, 4)
    assert (value("after_sale_rate"), value("return_rate")) == (5.8, 3.3)  # 7/120, 4/120
    assert value("after_sales", "province", "浙江省") == 6 and value("return_rate", "county", "230184") == 5.0
    # 8 complaints about the cooperatives filed in the month, per 1,000 of 120 orders.
    assert value("complaints") == 8 and value("complaints_per_1000") == round(8000 / 120, 1)
    assert value("complaints_per_1000", "province", "黑龙江省") == 50.0  # 1 of 20
    assert value("complaints_per_1000", "county", "330106") == 70.0  # 7 of 100
    assert value("complaints_upheld") == 2 and value("complaints_upheld", "province", "浙江省") == 2
    # Support is the cooperatives behind the cell, as for the refund rate.
    assert figures[("complaints_per_1000", "province", "浙江省")].support == 5
    assert figures[("return_rate", "province", "黑龙江省")].support == 1


def test_the_month_before_keeps_what_was_asked_in_it(app, month_with_after_sales):
    month, _cooperatives = month_with_after_sales
    before = _figures(month.previous())
    assert before[("returns", "all", "")].value == 1 and before[("complaints", "all", "")].value == 1
    # Nothing was paid that month: a count with no base gives a rate of 0, never a division by zero.
    assert before[("return_rate", "all", "")].value == 0.0


def test_the_published_rates_are_suppressed_like_the_other_figures(app, client, month_with_after_sales):
    month, _cooperatives = month_with_after_sales
    snapshots.publish_month(month)
    rates = _public(client, month, "complaints_per_1000")
    # One cooperative in Heilongjiang: its rate is withheld; Zhejiang's five are shown.
    assert rates[("province", "黑龙江省")]["suppressed"] == "true" and rates[("province", "黑龙江省")]["value"] == ""
    assert rates[("province", "浙江省")] == dict(rates[("province", "浙江省")], suppressed="false", value="70")
    assert rates[("all", "")]["value"] == "66.7"
    # Counts add up to the total: the lone withheld province would be given away by subtraction.
    counts = _public(client, month, "complaints")
    assert {key: row["suppressed"] for key, row in counts.items() if key[0] == "province"} == {
        ("province", "浙江省"): "true", ("province", "黑龙江省"): "true"}
    assert counts[("all", "")]["value"] == "8"
    data = client.get(f"/insights/data/{month}.json").get_json()
    withheld = [f for f in data["figures"] if f["metric"] == "return_rate" and f["key"] == "230184"]
    assert withheld == [dict(withheld[0], value=None, suppressed=True)]
    schema = client.get("/insights/data/schema.json").get_json()
    assert schema["metrics"]["complaints_per_1000"]["unit"] == "per_thousand"
    assert schema["metrics"]["return_rate"]["suppressed_below_minimum"] is True


def test_a_supervisor_sees_the_withheld_cell(app, client, login, make_user, month_with_after_sales):
    month, _cooperatives = month_with_after_sales
    snapshots.publish_month(month)
    url = f"/insights?month={month}&metric=complaints_per_1000&dimension=county"
    public = client.get(url).get_data(as_text=True)
    login(make_user(supervisor=True))
    page = client.get(url).get_data(as_text=True)
    # Wuchang's row of the table beside the chart: withheld for the public, shown to the supervisor.
    assert '">50.0</td>' in page and '">50.0</td>' not in public and '">70.0</td>' in public


@pytest.mark.parametrize("metric", ["after_sale_rate", "return_rate", "complaints_per_1000", "complaints_upheld"])
def test_each_rate_has_its_charts_and_tables(app, client, month_with_after_sales, metric):
    month, _cooperatives = month_with_after_sales
    snapshots.publish_month(month)
    response = client.get(f"/insights?month={month}&metric={metric}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("<svg") >= 3  # the bars by cut, the province map, the trend
    assert f'value="{metric}" selected' in page
    expected = {"after_sale_rate": "5.8%", "return_rate": "3.3%", "complaints_per_1000": "66.7",
                "complaints_upheld": "2"}[metric]
    assert expected in page
    chinese = client.get(f"/insights?month={month}&metric={metric}", headers={"Accept-Language": "zh-CN"})
    assert chinese.status_code == 200


def test_a_published_month_does_not_move_when_after_sales_and_complaints_arrive_late(
        app, client, month_with_after_sales):
    month, cooperatives = month_with_after_sales
    snapshots.publish_month(month)
    frozen = client.get(f"/insights/data/{month}.csv").data
    start, _end = month.naive_bounds(snapshots.zone())
    # A request and a complaint recorded late, dated inside the published month, and one now.
    spare = [sub for sub in _sub_orders(cooperatives[4]) if sub.id not in set(
        db.session.scalars(select(AfterSaleRequest.sub_order_id)))]
    _after_sale(spare[0], AfterSaleKind.RETURN, start + timedelta(days=12))
    _complaint(cooperatives[0], start + timedelta(days=12))
    _after_sale(spare[1], AfterSaleKind.RETURN, snapshots.current_month().naive_bounds(snapshots.zone())[0]
                + timedelta(minutes=5))
    db.session.commit()
    snapshots.refresh_provisional(month, force=True)
    assert client.get(f"/insights/data/{month}.csv").data == frozen
    current = snapshots.refresh_provisional(snapshots.current_month(), force=True)
    returns_now = db.session.scalar(select(InsightsFigure.value).where(
        InsightsFigure.month == current.month, InsightsFigure.metric == "returns", InsightsFigure.dimension == "all"))
    assert returns_now == 1


def test_a_month_published_before_these_figures_existed_still_shows(app, client, month_with_after_sales):
    month, _cooperatives = month_with_after_sales
    snapshots.publish_month(month)
    db.session.execute(delete(InsightsFigure).where(InsightsFigure.month == str(month),
                                                    InsightsFigure.metric.in_(NEW_METRICS)))
    db.session.commit()
    for metric in ("return_rate", "complaints_per_1000"):
        response = client.get(f"/insights?month={month}&metric={metric}&dimension=county")
        assert response.status_code == 200 and "<svg" in response.get_data(as_text=True)
    assert "complaints_per_1000" not in client.get(f"/insights/data/{month}.csv").get_data(as_text=True)


def test_the_rates_are_cut_by_gi_product_category_and_poverty_like_the_sales(app, month_with_after_sales,
                                                                             make_batch):
    from marketplace.catalog.models import Listing

    month, cooperatives = month_with_after_sales
    longjing, wuchang = cooperatives[0], cooperatives[5]
    batch = make_batch(longjing)
    tea_listing = db.session.scalar(select(Listing).where(Listing.cooperative_id == longjing.id))
    tea_listing.batch_id = batch.id
    db.session.execute(update(Listing).where(Listing.cooperative_id == wuchang.id).values(category="rice"))
    start, _end = month.naive_bounds(snapshots.zone())
    # About a listing, and about an order: both are complaints about Longjing tea.
    sub = _sub_orders(longjing)[5]
    for kind, about in ((ComplaintKind.LISTING, {"listing_id": tea_listing.id}),
                        (ComplaintKind.ORDER, {"order_id": sub.order_id})):
        db.session.add(Complaint(kind=kind, message="假货", cooperative_id=longjing.id, county_code="330106",
                                 created_at=start + timedelta(days=11), deadline=date.today(), **about))
    db.session.commit()
    figures = _figures(month)

    def value(metric, dimension, key):
        return figures[(metric, dimension, key)].value

    # Longjing: 20 paid, a refund and a return asked, the two complaints naming its goods.
    assert value("after_sales", "gi_product", "longjing-tea") == 2
    assert value("return_rate", "gi_product", "longjing-tea") == 5.0
    assert value("complaints", "gi_product", "longjing-tea") == 2
    assert value("complaints_per_1000", "gi_product", "longjing-tea") == 100.0
    # Categories: Wuchang now sells rice (20 paid, one return); the tea is the rest.
    assert value("after_sale_rate", "category", "rice") == 5.0 and value("after_sale_rate", "category", "tea") == 6.0
    # A complaint about the cooperative alone names no goods: only the two above have a category.
    assert value("complaints", "category", "tea") == 2 and value("complaints", "category", "rice") == 0
    assert value("complaints_per_1000", "category", "tea") == 20.0
    # Neither county is on the poverty list: every figure falls in "other".
    assert value("complaints", "poverty", "other") == value("complaints", "all", "") == 10
    assert ("complaints", "poverty", "lifted") not in figures
