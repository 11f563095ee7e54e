"""Jinja filters for catalog values: labels in the reader's language, Markdown, quantities.

Registered app-wide by the blueprints that show catalog things (storefront, seller).
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal

from marketplace.catalog.english_text import listing_description, listing_title
from marketplace.catalog.labels import category_label, rule_label, status_label
from marketplace.catalog.markdown import render_markdown
from marketplace.catalog.models import ListingStatus
from marketplace.core.phones import display_phone
from marketplace.catalog.standards import standard_for
from marketplace.core.i18n import current_language


def listing_status(value) -> str:
    try:
        return status_label(ListingStatus(value))
    except ValueError:
        return str(value)


def quantity(value) -> str:
    """120.000 -> "120", 12.500 -> "12.5", in the reader's number format."""
    if value is None:
        return ""
    number = Decimal(value).normalize()
    return format_decimal(number, format="#,##0.###")


def grade_label(key: str | None, slug: str | None) -> str:
    """A grade key ("grade-1") as the standard names it in the reader's language ("一级")."""
    if not key:
        return "—"
    standard = standard_for(slug)
    grade = standard.grade(key) if standard else None
    return grade.names.get(current_language()) if grade else key


def product_name(slug: str | None) -> str:
    """A GI product's name in the reader's language, from its catalogue slug."""
    standard = standard_for(slug)
    return standard.name(current_language()) if standard else (slug or "")


FILTERS = {
    "markdown": render_markdown,
    "category_label": category_label,
    "listing_status": listing_status,
    "rule_label": rule_label,
    "quantity": quantity,
    "grade_label": grade_label,
    "product_name": product_name,
    "listing_title": listing_title,
    "listing_description": listing_description,
    "phone": display_phone,
}


def init_app(app) -> None:
    """Make the filters available to every template of the app."""
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
