"""Many callers of the index at once when its current month is due: all answered, stored once."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select, update

from marketplace.extensions import db
from marketplace.insights import snapshots
from marketplace.insights.models import InsightsFigure, InsightsMonth
from marketplace.core.timeutil import utcnow


def _figure_rows(month) -> int:
    return db.session.scalar(select(func.count()).select_from(InsightsFigure).where(InsightsFigure.month == str(month)))


def _read_at_once(app, callers: int = 8) -> list:
    answers, start = [], threading.Barrier(callers, timeout=30)

    def read():
        try:
            with app.app_context():
                start.wait()
                answers.append(app.test_client().get("/api/v1/insights/months").status_code)
        except Exception as error:  # noqa: BLE001 - reported below
            answers.append(error)

    threads = [threading.Thread(target=read) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_simultaneous_reads_of_a_due_month_store_it_once(app, sales_in):
    current = snapshots.current_month()
    sales_in(current, ["330106"] * 3, orders=4)
    assert _read_at_once(app) == [200] * 8  # the month's first computation
    db.session.expire_all()
    first = _figure_rows(current)
    assert first > 0
    stale = (utcnow() - timedelta(hours=2)).replace(tzinfo=None)
    db.session.execute(update(InsightsMonth).where(InsightsMonth.month == str(current)).values(computed_at=stale))
    db.session.commit()
    assert _read_at_once(app) == [200] * 8  # due again: recomputed, never twice over
    db.session.expire_all()
    assert _figure_rows(current) == first
    assert db.session.get(InsightsMonth, str(current)).computed_at > stale
