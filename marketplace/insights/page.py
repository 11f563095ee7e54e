"""What the /insights page shows for a month, a metric, a cut and a province, as plain data.

The view parses the query string into `PageRequest`, has a stale provisional month computed
(`refresh_if_stale`), and `build_page` reads the stored figures and returns tables and charts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _

from marketplace.core.text import clean_name
from marketplace.insights import charts, report, snapshots
from marketplace.insights.errors import BadMonth
from marketplace.insights.labels import format_value, formatter, key_labels
from marketplace.insights.metrics import BY_NAME, DIMENSIONS, METRICS, THEME_LABELS, THEMES
from marketplace.insights.months import Month

#: Metrics a visitor can chart (ranked word lists are shown as lists instead).
CHARTABLE = tuple(m.name for m in METRICS if m.name not in ("searched_word", "zero_result_query"))
CUTS = ("province", "county", "gi_product", "category", "poverty", "destination")
LOGISTICS = ("ship_hours_median", "ship_hours_p90", "delivery_hours_median", "delivery_hours_p90")


@dataclass(frozen=True)
class PageRequest:
    month: Month
    metric: str = "gmv"
    dimension: str = "province"
    province: str = ""
    language: str = "zh"


def parse_request(args, language: str, now_month: Month) -> PageRequest:
    """Read the query string; an unknown metric or cut falls back to the default, a bad month is refused."""
    month = Month.parse(args["month"]) if args.get("month") else now_month
    if month > now_month:
        raise BadMonth(str(month))
    metric = args.get("metric") if args.get("metric") in CHARTABLE else "gmv"
    dimension = args.get("dimension") if args.get("dimension") in CUTS else "province"
    province = clean_name(args.get("province"), longest=60)
    return PageRequest(month, metric, dimension, province, language)


@dataclass
class Table:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)


def months_offered(now_month: Month) -> list[Month]:
    return now_month.back(current_app.config["INSIGHTS_TREND_MONTHS"])


def refresh_if_stale(request: PageRequest, now_month: Month) -> None:
    """Compute the month's figures first when it is provisional and older than allowed (or never computed)."""
    if request.month == now_month or not _known(request.month):
        snapshots.refresh_provisional(request.month)


def build_page(request: PageRequest, viewer: report.Viewer, now_month: Month) -> dict:
    dimensions = ("all", request.dimension, "province", "destination", "gi_product")
    if viewer.may_drill_down:
        dimensions += ("county", "cooperative")
    cells = report.month_cells(request.month, tuple(dict.fromkeys(dimensions)), viewer)
    status = report.status_of([request.month]).get(str(request.month))
    metric_label = str(BY_NAME[request.metric].label)
    page = {"request": request, "status": status, "metric_label": metric_label,
            "metrics": [(m, str(BY_NAME[m].label)) for m in CHARTABLE], "cuts": [(c, str(DIMENSIONS[c])) for c in CUTS],
            "months": months_offered(now_month)[::-1], "headline": _headline(cells),
            "provinces": _provinces(cells, request.language)}
    page["breakdown"] = _breakdown(cells, request, viewer)
    page["map"] = _map(cells, request)
    page["trend"] = _trend(request, viewer, now_month)
    page["logistics"] = _logistics(cells, request.language)
    page["demand"] = _demand(cells, request.language)
    page["drill_down"] = _drill_down(cells, request, viewer)
    return page


def _known(month: Month) -> bool:
    return snapshots.snapshot(month) is not None


def _headline(cells) -> list[tuple[str, list[tuple[str, str]]]]:
    overall = {c.metric: c for c in cells if c.dimension == "all" and not c.item}
    themes = []
    for theme in THEMES:
        rows = [(str(m.label), format_value(m.name, overall[m.name].value))
                for m in METRICS if m.theme == theme and m.name in overall]
        if rows:
            themes.append((str(THEME_LABELS[theme]), rows))
    return themes


def _provinces(cells, language: str) -> list[tuple[str, str]]:
    keys = {c.key for c in cells if c.dimension == "province" and c.key}
    labels = key_labels("province", keys, language)
    return sorted(labels.items(), key=lambda pair: pair[1])


def _bars(cells, metric: str, dimension: str, language: str, keep=lambda key: True):
    chosen = [c for c in cells if c.metric == metric and c.dimension == dimension and not c.item and keep(c.key)]
    labels = key_labels(dimension, {c.key for c in chosen}, language)
    chosen.sort(key=lambda c: (c.value is None, -(c.value or 0), labels[c.key]))
    return [(labels[c.key], c.value, c.key) for c in chosen]


def _breakdown(cells, request: PageRequest, viewer) -> dict:
    keep = lambda key: True  # noqa: E731
    if request.dimension == "county" and request.province:
        province_of = report.province_of_counties()
        keep = lambda key: province_of.get(key) == request.province  # noqa: E731
    bars = _bars(cells, request.metric, request.dimension, request.language, keep)
    title = _("%(metric)s by %(cut)s", metric=BY_NAME[request.metric].label, cut=DIMENSIONS[request.dimension])
    return {"title": title, "svg": charts.bar_chart(title, [(label, value) for label, value, _k in bars[:20]],
                                                    formatter(request.metric)),
            "rows": [(label, format_value(request.metric, value)) for label, value, _key in bars],
            "cut_label": str(DIMENSIONS[request.dimension])}


def _map(cells, request: PageRequest) -> dict:
    chosen = [c for c in cells if c.metric == request.metric and c.dimension == "province" and not c.item]
    labels = key_labels("province", {c.key for c in chosen}, request.language)
    title = _("%(metric)s by province", metric=BY_NAME[request.metric].label)
    values = {c.key: c.value for c in chosen}
    withheld = {c.key for c in chosen if c.suppressed}
    svg = charts.province_map(title, values, labels, withheld, formatter(request.metric))
    rows = sorted(((labels[c.key], format_value(request.metric, c.value)) for c in chosen))
    return {"title": title, "svg": svg, "rows": rows}


def _trend(request: PageRequest, viewer, now_month: Month) -> dict:
    months = request.month.back(current_app.config["INSIGHTS_TREND_MONTHS"])
    dimension, key = ("province", request.province) if request.province else ("all", "")
    series = report.trend((request.metric,), dimension, months, viewer).get((request.metric, key), {})
    statuses = report.status_of(months)
    values = [series[str(m)].value if str(m) in series else None for m in months]
    place = key_labels(dimension, {key}, request.language)[key]
    title = _("%(metric)s, last %(count)d months: %(place)s", metric=BY_NAME[request.metric].label,
              count=len(months), place=place)
    rows = [(str(m), format_value(request.metric, v),
             _("published") if statuses.get(str(m)) and statuses[str(m)].is_published else _("provisional"))
            for m, v in zip(months, values) if str(m) in statuses]
    return {"title": title, "svg": charts.line_chart(title, [str(m) for m in months], values,
                                                     formatter(request.metric)), "rows": rows[::-1]}


def _logistics(cells, language: str) -> list[tuple]:
    by_key: dict[str, dict] = {}
    for c in cells:
        if c.dimension == "destination" and c.metric in LOGISTICS:
            by_key.setdefault(c.key, {})[c.metric] = format_value(c.metric, c.value)
    labels = key_labels("destination", set(by_key), language)
    return sorted((labels[k], *(v.get(m, "—") for m in LOGISTICS)) for k, v in by_key.items())


def _demand(cells, language: str) -> dict:
    words: dict[str, list] = {}
    for c in cells:
        if c.metric == "searched_word" and not c.suppressed:
            words.setdefault(c.key, []).append((c.item, int(c.value)))
    products = key_labels("gi_product", {k for k in words if k}, language)
    lists = [(_("All searches") if not key else products[key], sorted(rows, key=lambda r: -r[1]))
             for key, rows in sorted(words.items())]
    nothing = sorted(((c.item, int(c.value)) for c in cells if c.metric == "zero_result_query" and not c.suppressed),
                     key=lambda r: -r[1])
    return {"words": lists, "nothing": nothing}


def _drill_down(cells, request: PageRequest, viewer) -> list[tuple] | None:
    if not viewer.may_drill_down:
        return None
    chosen = [c for c in cells if c.dimension == "cooperative" and c.metric in ("gmv", "orders", "buyers")]
    by_key: dict[str, dict] = {}
    for c in chosen:
        by_key.setdefault(c.key, {})[c.metric] = format_value(c.metric, c.value)
    labels = key_labels("cooperative", set(by_key), request.language)
    return sorted((labels[k], v.get("gmv", "—"), v.get("orders", "—"), v.get("buyers", "—"))
                  for k, v in by_key.items())
