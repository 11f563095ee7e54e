"""Public pages of the GI standards catalogue: /standards and /standards/<slug>."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from marketplace.core.i18n import current_language
from marketplace.pagecache.pages import public_page
from marketplace.storefront.related import related_to_standard
from marketplace.storefront.standard_pages import catalogue_page, standard_page

bp = Blueprint("storefront_standards", __name__)


@bp.get("/standards")
def catalogue():
    return public_page(lambda _csrf_value: _catalogue_html())


def _catalogue_html() -> str:
    page = catalogue_page(request.args.get("category", ""), request.args.get("province", ""),
                          current_language())
    return render_template("storefront/standards.html", **page)


@bp.get("/standards/<slug>")
def detail(slug: str):
    return public_page(lambda _csrf_value: _detail_html(slug))


def _detail_html(slug: str) -> str:
    page = standard_page(slug, current_language())
    if page is None:
        abort(404)
    return render_template("storefront/standard.html", page=page, standard=page.standard,
                           sections=related_to_standard(slug))
