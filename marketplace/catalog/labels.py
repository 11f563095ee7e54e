"""How categories, statuses and units of the catalog read in the shop's two languages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.catalog.models import ListingStatus

#: One label per entry of catalog.models.CATEGORIES, in the same order.
CATEGORY_LABELS = {
    "tea": _l("Tea"),
    "rice": _l("Rice"),
    "fruit": _l("Fruit"),
    "processed": _l("Processed foods"),
    "vegetables": _l("Vegetables"),
    "grain_oil": _l("Grain and oil"),
    "other": _l("Other"),
}

STATUS_LABELS = {
    ListingStatus.DRAFT: _l("Draft"),
    ListingStatus.ACTIVE: _l("Active"),
    ListingStatus.PAUSED: _l("Paused"),
    ListingStatus.SOLD_OUT: _l("Sold out"),
}


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))


def status_label(status: ListingStatus) -> str:
    return str(STATUS_LABELS.get(status, status.value))

#: What each rule of a validation report checks, for the findings table.
RULE_LABELS = {
    "origin.area": _l("Origin"),
    "variety.allowed": _l("Variety"),
    "type.allowed": _l("Product type"),
    "harvest.season": _l("Harvest season"),
    "grade.known": _l("Grade"),
    "grade.allowed": _l("Grade restriction"),
    "grade.meets": _l("Grade limits"),
    "param.required": _l("Measurement"),
    "param.physical": _l("Physically possible"),
    "param.limit": _l("Measurement"),
    "param.unknown": _l("Measurement"),
}


def rule_label(rule: str) -> str:
    return str(RULE_LABELS.get(rule, rule))
