"""The public e-commerce index (Art. 16) as data: its months, their status, a month's figures.

Everything is read through what the /insights page and its open-data files use, with the
public viewer: small cells withheld (value null, `suppressed` true), the cooperative cut
never given, a rarely searched word left out whole, and no month after the current one. A
caller is never treated as signed in, so an official's or a supervisor's session shows
nothing more here. Only the current month is (re)computed on a read, as the page does when
it is stale; an earlier month is given once it has been computed (published, or seen on the
page), never computed for the API.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from marketplace.core.urls import external_url
from marketplace.extensions import db
from marketplace.insights import opendata, snapshots
from marketplace.insights.errors import MonthNotAvailable
from marketplace.insights.labels import key_labels
from marketplace.insights.metrics import BY_NAME, DIMENSIONS, METRICS, THEME_LABELS
from marketplace.insights.models import InsightsMonth
from marketplace.insights.months import Month
from marketplace.core.timeutil import as_utc, utcnow

#: The cuts a public caller may ask for (the cooperative cut is officials' only).
PUBLIC_CUTS = opendata.PUBLIC_DIMENSIONS
METRIC_NAMES = tuple(metric.name for metric in METRICS)


@dataclass(frozen=True)
class Answer:
    """What to send, and for how long any cache may keep it (seconds)."""

    body: dict
    max_age: int
    last_modified: datetime | None = None


def _status(row: InsightsMonth) -> str:
    return "published" if row.is_published else "provisional"


def _fresh_for(row: InsightsMonth, now: datetime) -> int:
    """A published month keeps; a provisional one only until it is due to be recomputed."""
    config = current_app.config
    if row.is_published:
        return config["API_INSIGHTS_PUBLISHED_MAX_AGE"]
    age = (now - as_utc(row.computed_at)).total_seconds()
    return min(config["INSIGHTS_PROVISIONAL_MAX_AGE"], max(0, int(config["INSIGHTS_PROVISIONAL_MAX_AGE"] - age)))


def _month_facts(row: InsightsMonth) -> dict:
    return {"month": row.month, "status": _status(row), "published_at": as_utc(row.published_at),
            "computed_at": as_utc(row.computed_at), "method_version": row.method_version,
            "url": external_url("api_insights.month_figures", month=row.month),
            "page_url": external_url("insights.index", month=row.month),
            "csv_url": external_url("insights.data_csv", month=row.month),
            "json_url": external_url("insights.data_json", month=row.month)}


def months() -> Answer:
    """Every month with figures up to the current one, newest first (the current one freshened)."""
    now, now_month = utcnow(), snapshots.current_month()
    snapshots.refresh_provisional(now_month)
    rows = db.session.scalars(select(InsightsMonth).where(InsightsMonth.month <= str(now_month))
                              .order_by(InsightsMonth.month.desc())).all()
    current = next(row for row in rows if row.month == str(now_month))
    body = {"current_month": str(now_month), "items": [_month_facts(row) for row in rows],
            "licence": opendata.LICENCE, "licence_url": opendata.LICENCE_URL}
    return Answer(body, _fresh_for(current, now))


def _visible_snapshot(month: Month) -> InsightsMonth:
    now_month = snapshots.current_month()
    if month > now_month:
        raise MonthNotAvailable(str(month))
    if month == now_month:
        snapshots.refresh_provisional(month)
    row = snapshots.snapshot(month)
    if row is None:
        raise MonthNotAvailable(str(month))
    return row


def month_figures(month_text: str, metric: str | None, cut: str | None, language: str) -> Answer:
    """One month's public figures, of one metric and/or one cut when asked."""
    month = Month.parse(month_text)
    row = _visible_snapshot(month)
    _status_now, records = opendata.month_records(month, (cut,) if cut else PUBLIC_CUTS)
    chosen = [record for record in records if metric is None or record["metric"] == metric]
    labels = {dimension: key_labels(dimension, {r["key"] for r in chosen if r["dimension"] == dimension}, language)
              for dimension in {r["dimension"] for r in chosen}}
    figures = [{"metric": r["metric"], "label": str(BY_NAME[r["metric"]].label), "theme": r["theme"],
                "unit": r["unit"], "cut": r["dimension"], "key": r["key"],
                "key_label": labels[r["dimension"]][r["key"]], "item": r["item"],
                "value": None if r["value"] is None else float(r["value"]), "suppressed": r["suppressed"]}
               for r in chosen]
    body = {**_month_facts(row), "minimum_support": current_app.config["INSIGHTS_MIN_COUNT"],
            "licence": opendata.LICENCE, "licence_url": opendata.LICENCE_URL, "figures": figures}
    return Answer(body, _fresh_for(row, utcnow()), as_utc(row.computed_at))


def catalogue() -> Answer:
    """The metrics and cuts a caller may ask for, named in the caller's language."""
    body = {"metrics": [{"name": m.name, "label": str(m.label), "theme": m.theme,
                         "theme_label": str(THEME_LABELS[m.theme]), "unit": m.unit,
                         "suppressed_below_minimum": m.suppressed} for m in METRICS],
            "cuts": [{"name": name, "label": str(DIMENSIONS[name])} for name in PUBLIC_CUTS],
            "minimum_support": current_app.config["INSIGHTS_MIN_COUNT"],
            "method_url": external_url("insights.method")}
    return Answer(body, current_app.config["API_INSIGHTS_PUBLISHED_MAX_AGE"])
