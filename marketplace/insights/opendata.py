"""Open data: every public figure of a month as CSV and JSON, with its schema, method and licence.

The files hold exactly what the public page shows: suppressed cells are present with an
empty value and `suppressed` true, so a reader sees that a cell exists but not its value.
"""
from __future__ import annotations

import csv
import io

from flask import current_app

from marketplace.insights import report, snapshots
from marketplace.insights.errors import MonthNotAvailable
from marketplace.insights.metrics import BY_NAME, DIMENSIONS, METHOD_VERSION, METRICS
from marketplace.insights.months import Month

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
COLUMNS = ("month", "status", "metric", "theme", "unit", "dimension", "key", "item", "value", "suppressed")
PUBLIC_DIMENSIONS = tuple(DIMENSIONS)


def schema() -> dict:
    """The documented schema of the CSV and JSON files (served at /insights/data/schema.json)."""
    return {
        "title": "Terroir public e-commerce index (Art. 16)",
        "licence": LICENCE, "licence_url": LICENCE_URL, "method_version": METHOD_VERSION,
        "columns": {
            "month": "YYYY-MM, calendar month in the marketplace's time zone",
            "status": "published (frozen, never changes) or provisional (recomputed until published)",
            "metric": "name of the figure, see metrics", "theme": "sales, supply, trust, logistics, service, demand",
            "unit": "fen (money, 1/100 yuan), count, percent, per_thousand (per 1,000 orders), hours, "
                    "working_days",
            "dimension": "the cut: " + ", ".join(PUBLIC_DIMENSIONS),
            "key": "province (Chinese name), county (GB/T 2260 code), GI product (catalogue slug), category, "
                   "poverty (lifted/other), destination province; empty for all",
            "item": "the word, for ranked lists (searched_word, zero_result_query); empty otherwise. "
                    "A word searched too rarely is left out whole",
            "value": "the figure; empty when suppressed",
            "suppressed": f"true when fewer than {current_app.config['INSIGHTS_MIN_COUNT']} cooperatives "
                          "(or searches, for words) stand behind the cell, or when the cell would let a "
                          "suppressed sibling be subtracted out",
        },
        "metrics": {m.name: {"theme": m.theme, "unit": m.unit, "label": str(m.label),
                             "suppressed_below_minimum": m.suppressed} for m in METRICS},
    }


def month_records(month: Month, dimensions: tuple[str, ...] = PUBLIC_DIMENSIONS) -> tuple[str, list[dict]]:
    """The month's public figures of the given cuts (public ones only), as the files give them."""
    row = snapshots.snapshot(month)
    if row is None:
        raise MonthNotAvailable(str(month))
    status = "published" if row.is_published else "provisional"
    chosen = tuple(dimension for dimension in dimensions if dimension in PUBLIC_DIMENSIONS)
    cells = report.month_cells(month, chosen, report.Viewer())
    cells.sort(key=lambda c: (c.metric, c.dimension, c.key, c.item))
    records = [{"month": str(month), "status": status, "metric": c.metric, "theme": BY_NAME[c.metric].theme,
                "unit": BY_NAME[c.metric].unit, "dimension": c.dimension, "key": c.key, "item": c.item,
                "value": c.value, "suppressed": c.suppressed} for c in cells
               if c.metric in BY_NAME and not (c.item and c.suppressed)]
    return status, records


def as_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        value = record["value"]
        writer.writerow(dict(record, value="" if value is None else _plain(value),
                             suppressed="true" if record["suppressed"] else "false"))
    return out.getvalue()


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def as_json(month: Month, status: str, records: list[dict]) -> dict:
    row = snapshots.snapshot(month)
    return {"month": str(month), "status": status,
            "published_at": row.published_at.isoformat() + "Z" if row.published_at else None,
            "method_version": row.method_version, "licence": LICENCE, "licence_url": LICENCE_URL,
            "figures": [dict(r, value=None if r["value"] is None else float(r["value"])) for r in records]}
