"""Anonymous visitors of /insights share a copy of the page until any month's figures are stored again.

The copy is keyed on the months' stamps, not the shop's trust version: a figure changed in
the table without a new store would still show the old copy (that is how these tests see a
copy was served), and every store or publish shows the new figures on the next request.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from marketplace.extensions import db
from marketplace.insights import snapshots
from marketplace.insights.models import InsightsFigure, InsightsMonth

MARK = 7777777.0  # a GMV no sale in these tests reaches, in yuan: 7,777,777


def _mark_whole_gmv(month) -> None:
    """Change the stored whole-city GMV behind the page's back (no new store, no stamp moved)."""
    db.session.execute(update(InsightsFigure).where(
        InsightsFigure.month == str(month), InsightsFigure.metric == "gmv", InsightsFigure.dimension == "all")
        .values(value=MARK * 100))
    db.session.commit()


def _shows_mark(client, month, **headers) -> bool:
    html = client.get(f"/insights?month={month}", headers=headers).get_data(as_text=True)
    return "7,777,777" in html or "7777777" in html


def test_a_second_visitor_gets_the_copy_and_a_publish_replaces_it(app, client, last_month, sales_in):
    sales_in(last_month, ["330106"] * 5)
    snapshots.refresh_provisional(last_month, force=True)
    assert client.get(f"/insights?month={last_month}").status_code == 200
    _mark_whole_gmv(last_month)
    assert not _shows_mark(client, last_month), "the copy was not kept: the table's figure was read again"

    snapshots.publish_month(last_month)  # a new store: the copy goes at once
    _mark_whole_gmv(last_month)
    assert _shows_mark(client, last_month)


def test_a_provisional_month_stored_again_is_shown_at_once(app, client, last_month, sales_in):
    sales_in(last_month, ["330106"] * 5)
    snapshots.refresh_provisional(last_month, force=True)
    client.get(f"/insights?month={last_month}")
    _mark_whole_gmv(last_month)
    # Another month's store (the current month refreshed by anyone) also moves the version.
    current = snapshots.current_month()
    snapshots.refresh_provisional(current, force=True)
    assert _shows_mark(client, last_month)


def test_a_store_stamped_earlier_by_a_node_whose_clock_is_behind_still_changes_the_version(app, last_month,
                                                                                          sales_in):
    sales_in(last_month, ["330106"] * 5)
    snapshots.refresh_provisional(last_month, force=True)
    current = snapshots.refresh_provisional(snapshots.current_month(), force=True)
    now_month = snapshots.current_month()
    before = snapshots.figures_version(now_month)
    earlier = db.session.scalar(select(InsightsMonth.computed_at).where(InsightsMonth.month == str(last_month)))
    db.session.execute(update(InsightsMonth).where(InsightsMonth.month == current.month)
                       .values(computed_at=earlier - timedelta(minutes=5)))
    db.session.commit()
    assert snapshots.figures_version(now_month) != before


def test_each_language_has_its_own_copy(app, client, last_month, sales_in):
    sales_in(last_month, ["330106"] * 5)
    snapshots.publish_month(last_month)
    chinese = client.get(f"/insights?month={last_month}", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    english = client.get(f"/insights?month={last_month}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="zh' in chinese and 'lang="en' in english


def test_officials_never_get_the_public_copy_nor_leave_theirs(app, client, login, make_user, last_month, sales_in):
    cooperatives = sales_in(last_month, ["330106"] * 5)
    snapshots.publish_month(last_month)
    public = client.get(f"/insights?month={last_month}").get_data(as_text=True)
    assert 'id="drill-down"' not in public

    login(make_user(official_of=("330106",)))
    own = client.get(f"/insights?month={last_month}").get_data(as_text=True)
    assert 'id="drill-down"' in own and cooperatives[0].name in own
    client.post("/logout", data={})  # signed out, the visitor is public again
    anonymous = app.test_client().get(f"/insights?month={last_month}").get_data(as_text=True)
    assert cooperatives[0].name not in anonymous and 'id="drill-down"' not in anonymous
