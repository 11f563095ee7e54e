"""Publish a month (freeze its figures for good) and keep provisional months fresh.

Publishing computes the month once more and stores it with `published_at`; from then on
nothing writes to that month again (`refresh_provisional` and a second publish both
refuse), so a refund made later changes the month it is made in, never an announced one.
Any other month is provisional: computed on demand, stored with `computed_at`, and
recomputed once older than INSIGHTS_PROVISIONAL_MAX_AGE seconds.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from marketplace.core.audit import record
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.insights.errors import MonthAlreadyPublished, MonthNotOver, MonthNotStarted
from marketplace.insights.figures import compute_month
from marketplace.insights.figures.common import Figure, MonthWindow
from marketplace.insights.metrics import METHOD_VERSION
from marketplace.insights.models import InsightsFigure, InsightsMonth
from marketplace.insights.months import Month
from marketplace.core.timeutil import as_utc, utcnow

#: Figures written per INSERT statement.
INSERT_BATCH = 2000


def zone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def window_for(month: Month) -> MonthWindow:
    config = current_app.config
    start, end = month.bounds(zone())
    return MonthWindow(month, start, end, review_working_days=config["REVIEW_WORKING_DAYS"],
                       scan_warning_threshold=config["VERIFY_SCAN_WARNING_THRESHOLD"],
                       top_words=config["INSIGHTS_TOP_WORDS"])


def current_month(now: datetime | None = None) -> Month:
    return Month.containing(now or utcnow(), zone())


def figures_version(now_month: Month) -> str:
    """A digest that changes whenever any month's figures are stored again or published.

    It names everything a public index page shows besides the query and the language: the
    stored figures (each store sets the month's `computed_at`, a publish its `published_at`),
    the months offered (they end at `now_month`) and the suppression threshold. It reads
    every month's stamps rather than the latest one, so two nodes whose clocks differ
    cannot store figures without changing it.
    """
    stamps = db.session.execute(select(InsightsMonth.month, InsightsMonth.computed_at, InsightsMonth.published_at)
                                .order_by(InsightsMonth.month)).all()
    text = repr((str(now_month), current_app.config["INSIGHTS_MIN_COUNT"], [tuple(map(str, row)) for row in stamps]))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def snapshot(month: Month) -> InsightsMonth | None:
    return db.session.get(InsightsMonth, str(month))


def publish_month(month: Month, actor=None, progress: Callable[[str, int], None] | None = None,
                  now: datetime | None = None) -> int:
    """Freeze the month's figures; return how many were stored. Refuses a month not over or already published."""
    now = now or utcnow()
    window = window_for(month)
    if window.end > now:
        raise MonthNotOver(str(month))
    existing = snapshot(month)
    if existing is not None and existing.is_published:
        raise MonthAlreadyPublished(str(month))
    figures = compute_month(window, progress)
    with write_transaction():
        row = db.session.get(InsightsMonth, str(month), populate_existing=True)
        if row is None:
            db.session.add(InsightsMonth(month=str(month), computed_at=now, method_version=METHOD_VERSION))
            try:
                db.session.flush()
            except IntegrityError:  # a concurrent publish of the same month inserted it first
                raise MonthAlreadyPublished(str(month)) from None
        claimed = db.session.execute(
            update(InsightsMonth).where(InsightsMonth.month == str(month), InsightsMonth.published_at.is_(None))
            .values(published_at=now.replace(tzinfo=None), computed_at=now.replace(tzinfo=None),
                    published_by_id=getattr(actor, "id", actor), method_version=METHOD_VERSION)
            .execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            raise MonthAlreadyPublished(str(month))
        _replace_figures(month, figures, progress)
        record("insights.published", "insights_month", str(month), actor=actor, public=True,
               figures=len(figures), method_version=METHOD_VERSION)
    return len(figures)


def refresh_provisional(month: Month, now: datetime | None = None, force: bool = False) -> InsightsMonth:
    """Recompute a month not yet published, when its figures are older than allowed (or `force`).

    A month that has not begun is refused: stored, its empty figures would be served as
    open data for a month no one has lived yet.
    """
    now = now or utcnow()
    if month > current_month(now):
        raise MonthNotStarted(str(month))
    row = snapshot(month)
    max_age = timedelta(seconds=current_app.config["INSIGHTS_PROVISIONAL_MAX_AGE"])
    if row is not None and (row.is_published or (not force and now - as_utc(row.computed_at) < max_age)):
        return row
    figures = compute_month(window_for(month))
    with write_transaction():
        row, made = _locked_month_row(month, now)
        if row.is_published:
            return row
        if not made and not force and now - as_utc(row.computed_at) < max_age:
            return row  # another request refreshed it while this one computed
        row.computed_at = now
        _replace_figures(month, figures)
    return row


def _locked_month_row(month: Month, now: datetime) -> tuple[InsightsMonth, bool]:
    """The month's row, made if missing, locked until the transaction ends.

    Readers of a stale month compute it at the same moment: the insert that loses the race
    does nothing, and the lock makes the others wait and see the first one's figures, so
    the month is never stored twice nor fails with a duplicate key.
    """
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = InsightsMonth.__table__
    made = db.session.execute(
        dialect.insert(table)
        .values(month=str(month), computed_at=now.replace(tzinfo=None), method_version=METHOD_VERSION)
        .on_conflict_do_nothing(index_elements=["month"]).returning(table.c.month)).first() is not None
    row = db.session.scalars(select(InsightsMonth).where(InsightsMonth.month == str(month)).with_for_update()
                             .execution_options(populate_existing=True)).one()
    return row, made


def _replace_figures(month: Month, figures: list[Figure], progress=None) -> None:
    db.session.execute(delete(InsightsFigure).where(InsightsFigure.month == str(month)))
    rows = [{"month": str(month), "metric": f.metric, "dimension": f.dimension, "key": f.key or "",
             "item": f.item or "", "value": float(f.value), "support": int(f.support)} for f in figures]
    for start in range(0, len(rows), INSERT_BATCH):
        db.session.execute(insert(InsightsFigure), rows[start:start + INSERT_BATCH])
    if progress:
        progress("stored", len(rows))


def months_with_figures() -> list[InsightsMonth]:
    return list(db.session.scalars(select(InsightsMonth).order_by(InsightsMonth.month.desc())))
