"""Public pages of the GI standards catalogue: /standards and /standards/<slug>."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from marketplace.core.i18n import current_language
from marketplace.storefront.related import related_to_standard
from marketplace.storefront.standard_pages import catalogue_page, standard_page

bp = Blueprint("storefront_standards", __name__)


@bp.get("/standards")
def catalogue():
    page = catalogue_page(request.args.get("category", ""), request.args.get("province", ""),
                          current_language())
    return render_template("storefront/standards.html", **page)


@bp.get("/standards/<slug>")
def detail(slug: str):
    page = standard_page(slug, current_language())
    if page is None:
        abort(404)
    return render_template("storefront/standard.html", page=page, standard=page.standard,
                           sections=related_to_standard(slug))
