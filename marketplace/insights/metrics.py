"""Every published metric: its theme, unit, label, and whether small cells are suppressed.

The open-data schema (/insights/data/schema.json) and the page read this table, so a new
figure (a return rate, a complaint rate) is one more entry here and a theme that computes it.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: Bumped when a figure's method changes; stored with every snapshot.
METHOD_VERSION = "1"


@dataclass(frozen=True)
class Metric:
    name: str
    theme: str
    #: "fen" (money in minor units), "count", "percent", "per_thousand", "hours", "working_days".
    unit: str
    label: object
    #: Suppress cells whose support is below INSIGHTS_MIN_COUNT (sales, speed, rates, words).
    suppressed: bool = True
    #: The sum of cells of a cut is the whole: a lone suppressed cell could be subtracted out.
    additive: bool = False


METRICS: tuple[Metric, ...] = (
    Metric("gmv", "sales", "fen", _l("Sales (GMV)"), additive=True),
    Metric("orders", "sales", "count", _l("Orders"), additive=True),
    Metric("buyers", "sales", "count", _l("Buyers")),
    Metric("avg_basket", "sales", "fen", _l("Average basket")),
    Metric("gi_share", "sales", "percent", _l("Share of GI-certified goods")),
    Metric("active_cooperatives", "supply", "count", _l("Active cooperatives"), suppressed=False),
    Metric("new_cooperatives", "supply", "count", _l("New cooperatives"), suppressed=False),
    Metric("listings_live", "supply", "count", _l("Listings live"), suppressed=False),
    Metric("authorizations_granted", "trust", "count", _l("GI authorizations granted"), suppressed=False),
    Metric("authorizations_revoked", "trust", "count", _l("GI authorizations revoked"), suppressed=False),
    Metric("authorizations_expired", "trust", "count", _l("GI authorizations expired"), suppressed=False),
    Metric("certificates_granted", "trust", "count", _l("Batch certificates granted"), suppressed=False),
    Metric("certificates_revoked", "trust", "count", _l("Batch certificates revoked"), suppressed=False),
    Metric("certificates_expired", "trust", "count", _l("Batch certificates expired"), suppressed=False),
    Metric("reviews", "trust", "count", _l("Reviews decided"), suppressed=False),
    Metric("review_days_median", "trust", "working_days", _l("Median review time (working days)"),
           suppressed=False),
    Metric("review_within_rule_share", "trust", "percent", _l("Reviews within the 10-working-day rule"),
           suppressed=False),
    Metric("verify_checks", "trust", "count", _l("Package code checks"), suppressed=False),
    Metric("verify_warnings", "trust", "count", _l("Codes checked unusually often"), suppressed=False),
    Metric("ship_hours_median", "logistics", "hours", _l("Paid to shipped, median (hours)")),
    Metric("ship_hours_p90", "logistics", "hours", _l("Paid to shipped, 90th percentile (hours)")),
    Metric("ship_hours_count", "logistics", "count", _l("Parcels shipped")),
    Metric("delivery_hours_median", "logistics", "hours", _l("Shipped to delivered, median (hours)")),
    Metric("delivery_hours_p90", "logistics", "hours", _l("Shipped to delivered, 90th percentile (hours)")),
    Metric("delivery_hours_count", "logistics", "count", _l("Parcels delivered")),
    Metric("refunds", "service", "count", _l("Sub-orders refunded"), additive=True),
    Metric("refund_rate", "service", "percent", _l("Refund rate")),
    Metric("cancellations", "service", "count", _l("Sub-orders cancelled"), additive=True),
    Metric("cancellation_rate", "service", "percent", _l("Cancellation rate")),
    Metric("after_sales", "service", "count", _l("Sub-orders with an after-sale request"), additive=True),
    Metric("after_sale_rate", "service", "percent", _l("After-sale rate (returns and refunds asked)")),
    Metric("returns", "service", "count", _l("Sub-orders with a return asked"), additive=True),
    Metric("return_rate", "service", "percent", _l("Return rate")),
    Metric("complaints", "service", "count", _l("Complaints"), additive=True),
    Metric("complaints_per_1000", "service", "per_thousand", _l("Complaints per 1,000 orders")),
    Metric("complaints_upheld", "service", "count", _l("Complaints upheld"), additive=True),
    Metric("searches", "demand", "count", _l("Searches")),
    Metric("zero_result_searches", "demand", "count", _l("Searches that found nothing")),
    Metric("zero_result_share", "demand", "percent", _l("Share of searches that found nothing")),
    Metric("searched_word", "demand", "count", _l("Most searched words")),
    Metric("zero_result_query", "demand", "count", _l("Words that found nothing")),
)
BY_NAME = {metric.name: metric for metric in METRICS}
THEMES = ("sales", "supply", "trust", "logistics", "service", "demand")
THEME_LABELS = {"sales": _l("Sales"), "supply": _l("Rural supply"), "trust": _l("GI trust"),
                "logistics": _l("Logistics"), "service": _l("Service"), "demand": _l("Demand")}

#: Cuts a visitor may choose, and what each is called.
DIMENSIONS = {
    "all": _l("Whole site"), "province": _l("Province"), "county": _l("County"),
    "gi_product": _l("GI product"), "category": _l("Category"), "poverty": _l("Counties lifted out of poverty"),
    "destination": _l("Destination province"),
}
#: Never in public output: officials' drill-down only.
PRIVATE_DIMENSIONS = ("cooperative",)
