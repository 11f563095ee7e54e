"""Public pages: the home page, product pages, cooperatives' profiles and listing photos."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, send_file, session, url_for
from flask_login import current_user

from marketplace.core import storage
from marketplace.catalog.listing_terms import ship_day_names
from marketplace.core.numbers import int_arg
from marketplace.core.i18n import current_language
from marketplace.core.regions import province_choices
from marketplace.orders.services import destination
from marketplace.pagecache import pages as page_cache
from marketplace.storefront import services
from marketplace.supervision.services import panels
from marketplace.storefront.product_choice import product_choice

bp = Blueprint("storefront", __name__)


def _standard_url(slug: str | None) -> str | None:
    """The standard's page, or None for a listing of no GI product."""
    return url_for("storefront_standards.detail", slug=slug) if slug else None


@bp.get("/")
def home():
    return page_cache.public_page(_home_html)


def _home_html(csrf_value) -> str:
    page = services.home_page(current_language())
    standard_urls = {s.standard.slug: _standard_url(s.standard.slug) for s in page.featured}
    standard_urls.update({s.slug: _standard_url(s.slug) for s in page.other_products})
    links = {
        "gi": {item.standard.slug: url_for("search.results", gi=item.standard.slug) for item in page.featured},
        "province": {g.key: url_for("search.results", province=g.key) for g in page.by_province},
        "category": {g.key: url_for("search.results", category=g.key) for g in page.by_category},
    }
    return render_template("storefront/home.html", page=page, standard_urls=standard_urls, links=links,
                           csrf_value=csrf_value)


@bp.get("/listings/<int:listing_id>")
def listing(listing_id: int):
    """A product page; listings that are not live are shown only to their cooperative.

    A province chosen for the delivery estimate is remembered for the cart and other pages
    (the page is then the visitor's own, not a shared copy).
    """
    if "province" in request.args:
        destination.remember_choice(session, request.args["province"])
    return page_cache.public_page(lambda csrf_value: _listing_html(listing_id, csrf_value))


def _listing_html(listing_id: int, csrf_value) -> str:
    page = services.product_page(current_user, listing_id, current_language())
    if page is None:
        abort(404)
    cart_url = url_for("orders.add_to_cart")
    choice = product_choice(current_user, page.listing, request.args, session.get(destination.SESSION_KEY))
    return render_template("storefront/listing.html", page=page, listing=page.listing, cart_url=cart_url,
                           supervision=panels.listing_panel(page.listing.id),
                           choice=choice, provinces=province_choices(current_language()),
                           ship_day_names=ship_day_names,
                           standard_url=_standard_url(page.standard.slug if page.standard else None),
                           csrf_value=csrf_value)


@bp.get("/cooperatives/<int:cooperative_id>")
def cooperative(cooperative_id: int):
    """The cooperative's public profile, with its live listings."""
    return page_cache.public_page(lambda csrf_value: _cooperative_html(cooperative_id, csrf_value))


def _cooperative_html(cooperative_id: int, csrf_value) -> str:
    page = services.cooperative_page(current_user, cooperative_id, int_arg(request.args, "page", 1))
    if page is None:
        abort(404)
    return render_template("storefront/cooperative.html", cooperative=page.cooperative, page=page,
                           supervision=panels.cooperative_panel(page.cooperative.id),
                           is_member=page.is_member, csrf_value=csrf_value)


@bp.get("/media/photos/<name>")
def photo(name: str):
    """Serve a listing photo: cached for a year when public (names are never reused)."""
    found = services.photo_file(current_user, name) if name.endswith(".jpg") else None
    path = storage.path_of(storage.PHOTOS, name) if found else None
    if path is None or not path.is_file():
        abort(404)
    max_age = current_app.config["PHOTO_CACHE_SECONDS"] if found.public else 0
    response = send_file(path, mimetype="image/jpeg", max_age=max_age, conditional=True, etag=True)
    if found.public:
        response.headers["Cache-Control"] = f"public, max-age={max_age}, immutable"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response
