"""An announced month never moves: a later refund changes the current month, not the published one."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from marketplace.extensions import db
from marketplace.insights import snapshots
from marketplace.insights.figures import compute_month
from marketplace.orders.models import Order, SubOrder


def _figures(month):
    from marketplace.insights.models import InsightsFigure

    return sorted(db.session.execute(select(InsightsFigure.metric, InsightsFigure.dimension, InsightsFigure.key,
                                            InsightsFigure.item, InsightsFigure.value)
                                     .where(InsightsFigure.month == str(month))).all())


def _value(month, metric, dimension="all", key=""):
    return dict(((m, d, k), v) for m, d, k, _i, v in _figures(month)).get((metric, dimension, key))


def test_a_later_refund_changes_the_current_month_not_the_published_one(app, client, runner, in_request,
                                                                        last_month, sales_in):
    from marketplace.core.database import write_transaction
    from marketplace.orders.services.refunds import queue_refund

    sales_in(last_month, ["330106"] * 5)
    result = runner.invoke(args=["insights", "publish", str(last_month)])
    assert result.exit_code == 0, result.output
    assert "sales" in result.output and "published" in result.output
    frozen, frozen_csv = _figures(last_month), client.get(f"/insights/data/{last_month}.csv").data
    refunds_now = _value(snapshots.refresh_provisional(snapshots.current_month(), force=True).month, "refunds") or 0

    sub = db.session.scalar(select(SubOrder).where(SubOrder.refunded_minor == 0).limit(1))
    order = db.session.get(Order, sub.order_id)

    def refund():
        with write_transaction():
            queue_refund(order, 500, "seller_cancelled", sub_order=sub)

    in_request(refund)
    # A record arriving late inside the published month would change a recomputation too.
    db.session.execute(update(SubOrder).where(SubOrder.id == sub.id).values(items_minor=sub.items_minor))
    start, _end = last_month.naive_bounds(snapshots.zone())
    late = db.session.scalar(select(SubOrder).where(SubOrder.id != sub.id).limit(1))
    late_order_month_paid = start + timedelta(hours=3)
    db.session.execute(update(SubOrder).where(SubOrder.id == late.id).values(paid_at=late_order_month_paid))
    db.session.commit()

    assert compute_month(snapshots.window_for(last_month)) is not None
    snapshots.refresh_provisional(last_month, force=True)
    assert _figures(last_month) == frozen
    assert client.get(f"/insights/data/{last_month}.csv").data == frozen_csv
    current = snapshots.refresh_provisional(snapshots.current_month(), force=True)
    assert _value(current.month, "refunds") == refunds_now + 1


def test_a_month_is_published_once_and_only_when_over(app, runner, last_month, sales_in):
    sales_in(last_month, ["330106"])
    assert runner.invoke(args=["insights", "publish", str(last_month)]).exit_code == 0
    again = runner.invoke(args=["insights", "publish", str(last_month)])
    assert again.exit_code != 0 and "already published" in again.output
    current = runner.invoke(args=["insights", "publish", str(snapshots.current_month())])
    assert current.exit_code != 0 and "not over" in current.output
    bad = runner.invoke(args=["insights", "publish", "2026-13"])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output


def test_a_month_that_has_not_begun_is_never_computed_nor_served(app, client, runner):
    ahead = snapshots.current_month().next()
    result = runner.invoke(args=["insights", "refresh", str(ahead)])
    assert result.exit_code != 0 and "has not begun" in result.output and str(ahead) in result.output
    assert snapshots.snapshot(ahead) is None
    assert client.get(f"/insights/data/{ahead}.json").status_code == 404
    assert runner.invoke(args=["insights", "refresh"]).exit_code == 0  # the current month still is


def test_a_supervisor_publishes_from_the_web_and_it_is_audited(app, client, login, make_user, last_month,
                                                               sales_in):
    from marketplace.core.audit import AuditEntry

    sales_in(last_month, ["330106"])
    supervisor = make_user(supervisor=True)
    assert client.post("/admin/insights/publish", data={"month": str(last_month)}).status_code in (302, 401)
    assert snapshots.snapshot(last_month) is None or not snapshots.snapshot(last_month).is_published
    login(supervisor)
    response = client.post("/admin/insights/publish", data={"month": str(last_month)})
    assert response.status_code == 302
    assert snapshots.snapshot(last_month).is_published
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "insights.published"))
    assert entry.subject_id == str(last_month) and entry.actor_id == supervisor.id
    again = client.post("/admin/insights/publish", data={"month": str(last_month)})
    assert again.status_code == 409 and "already published" in again.get_data(as_text=True)
    bad = client.post("/admin/insights/publish", data={"month": "next month"})
    assert bad.status_code == 400 and "YYYY-MM" in bad.get_data(as_text=True)


def test_others_may_not_publish(app, client, login, make_user, last_month):
    login(make_user(official_of=("330106",)))
    assert client.post("/admin/insights/publish", data={"month": str(last_month)}).status_code == 403
    assert snapshots.snapshot(last_month) is None


def test_bad_months_in_urls_are_refused_with_a_message(app, client):
    assert client.get("/insights?month=2026-1x").status_code == 400
    assert "YYYY-MM" in client.get("/insights?month=2026-1x").get_data(as_text=True)
    assert client.get("/insights?month=2999-01").status_code == 400
    assert client.get("/insights/data/1999-01.csv").status_code == 400
    assert client.get("/insights/data/2020-01.json").status_code == 404
