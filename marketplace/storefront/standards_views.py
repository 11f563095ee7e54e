"""Public pages of the GI standards catalogue: /standards and /standards/<slug>."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from gi_standards import CATEGORIES, county_index
from marketplace.i18n import current_language
from marketplace.standards import services
from marketplace.storefront.related import related_to_standard

bp = Blueprint("standards", __name__)


def _county_names(codes) -> list:
    """County rows for display, from the packaged division table."""
    table = county_index()
    return [table[code] for code in codes if code in table]


@bp.get("/standards")
def catalogue():
    catalogue = services.current_catalogue()
    category = request.args.get("category", "")
    province = request.args.get("province", "")
    table = county_index()
    provinces = sorted({table[c].province_zh for s in catalogue.values() for c in s.protected_area if c in table})
    shown = []
    for standard in sorted(catalogue.values(), key=lambda s: (s.category, s.slug)):
        if category and standard.category != category:
            continue
        standard_provinces = {table[c].province_zh for c in standard.protected_area if c in table}
        if province and province not in standard_provinces:
            continue
        shown.append((standard, sorted(standard_provinces)))
    province_names = {table[c].province_zh: table[c].province_en for c in table}
    if current_language() != "zh":
        shown = [(standard, [province_names[p] for p in provs]) for standard, provs in shown]
    return render_template(
        "storefront/standards.html", standards=shown, categories=CATEGORIES, category=category,
        provinces=provinces, province=province, province_names=province_names,
    )


@bp.get("/standards/<slug>")
def detail(slug: str):
    catalogue = services.current_catalogue()
    if slug not in catalogue:
        abort(404)
    standard = catalogue[slug]
    return render_template(
        "storefront/standard.html",
        standard=standard,
        counties=_county_names(standard.protected_area),
        partial_counties=set(standard.partial_area),
        versions=services.versions(slug),
        sections=related_to_standard(slug),
    )
