"""Public, read-only endpoints: verify a code, the GI register, listings, cooperatives.

Each calls the same service as the page that shows the same facts (the verify page, the
search page, the product and cooperative pages), so the API can never say something the
site does not. Limited per client address; ETags and CORS (see http.py).
"""
from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from werkzeug.datastructures import MultiDict

from marketplace.api import presenters, register
from marketplace.api.schemas_common import ProblemSchema
from marketplace.core.problems import MEDIA_TYPE
from marketplace.api.http import ApiRefusal, install_problem_handlers, install_public_read_headers, invalid
from marketplace.api.schemas_public import (
    CooperativeDetailSchema,
    CooperativeQuerySchema,
    GIProductDetailSchema,
    GIProductListSchema,
    ListingDetailSchema,
    RegisterQuerySchema,
    SearchQuerySchema,
    SearchResultSchema,
    VerificationSchema,
    VerifyQuerySchema,
)
from marketplace.certification.services import checks, verification
from marketplace.core.urls import external_url
from marketplace.extensions import limiter, login_manager
from marketplace.core.i18n import current_language
from marketplace.search import services as search
from marketplace.search.forms import SearchForm
from marketplace.storefront import services as storefront

blp = Blueprint("api_public", __name__, url_prefix="/api/v1",
                description="Public, read-only facts: no token needed, limited per client address.")
install_problem_handlers(blp)
install_public_read_headers(blp)


#: Every public read answers 304 to a matching If-None-Match (see http.py).
NOT_MODIFIED = "Not modified: the ETag sent in If-None-Match still matches."


def _public_limit() -> str:
    return current_app.config["API_PUBLIC_RATE_LIMIT"]


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _guest():
    """The API answers as a guest would see the site: it never acts on a session cookie."""
    return login_manager.anonymous_user()


def _check_client(scan: bool) -> checks.CheckClient:
    """Who asks, as the verify page reads it; without the scan flag nobody is looking."""
    header = current_app.config["VERIFY_PLACE_HEADER"]
    place = checks.clean_place(request.headers.get(header)) if header else ""
    passive = not scan or request.method == "HEAD"
    return checks.CheckClient(request.remote_addr or "", request.user_agent.string or "", place, passive)


@blp.route("/verify/<code>", methods=["GET"])
@limiter.limit(_verify_limit)
@blp.arguments(VerifyQuerySchema, location="query")
@blp.response(200, VerificationSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
@blp.alt_response(404, schema=ProblemSchema, content_type=MEDIA_TYPE, description="No label carries this code.")
@blp.alt_response(400, schema=ProblemSchema, content_type=MEDIA_TYPE, description="Not a trace code, or a mistyped one.")
def verify(args, code: str):
    """Verify a trace code: what it certifies, as the verify page says it now.

    The same answer and the same counting rules as /verify/<code>. Send `scan=true` from a
    scanner app when a person scanned the package.
    """
    language = current_language()
    result = verification.verify(code, _guest(), client=_check_client(args["scan"]), language=language)
    return presenters.verification(result, language)


@blp.route("/gi-products", methods=["GET"])
@limiter.limit(_public_limit)
@blp.arguments(RegisterQuerySchema, location="query")
@blp.response(200, GIProductListSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
def gi_products(args):
    """The GI register: every protected product of the catalogue in force."""
    return {"items": register.products(current_language(), args["category"])}


@blp.route("/gi-products/<slug>", methods=["GET"])
@limiter.limit(_public_limit)
@blp.response(200, GIProductDetailSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
@blp.alt_response(404, schema=ProblemSchema, content_type=MEDIA_TYPE, description="No such GI product.")
def gi_product(slug: str):
    """One GI product: its standard's versions, its protected area, and who holds the mark."""
    found = register.product(slug, current_language())
    if found is None:
        raise ApiRefusal("not-found")
    return found


def _facets(outcome) -> dict:
    return {name: [{"key": str(key), "label": str(outcome.labels.get(name, {}).get(key, key)), "count": count}
                   for key, count in values.items()]
            for name, values in outcome.facets.items()}


@blp.route("/listings", methods=["GET"])
@limiter.limit(_public_limit)
@blp.arguments(SearchQuerySchema, location="query")
@blp.response(200, SearchResultSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
@blp.alt_response(503, schema=ProblemSchema, content_type=MEDIA_TYPE, description="The search index cannot be read just now.")
def search_listings(args):
    """Search live listings with facets and pages: the search page's query and ranking."""
    bands = search.bands()
    if args["price"] and args["price"] not in {band.key for band in bands}:
        raise invalid("query", "price", _("Choose a price band from the price facet."))
    form = SearchForm(formdata=MultiDict({key: ("1" if value is True else str(value))
                                          for key, value in args.items() if value not in ("", False, None)}))
    language = current_language()
    outcome = search.search_listings(form.q.data, form.filters(bands), form.chosen_sort(), form.chosen_page(),
                                     language=language)
    if outcome.status == "unavailable":
        raise ApiRefusal("unavailable")
    return {
        "status": outcome.status, "query": outcome.text, "suggestion": outcome.suggestion,
        "widened": outcome.widened, "sort": outcome.sort, "page": outcome.page, "pages": outcome.pages,
        "per_page": current_app.config["SEARCH_PAGE_SIZE"], "total": outcome.total, "facets": _facets(outcome),
        "items": [presenters.listing_summary(found.listing, found.badge, language) for found in outcome.found],
    }


@blp.route("/listings/<int:listing_id>", methods=["GET"])
@limiter.limit(_public_limit)
@blp.response(200, ListingDetailSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
@blp.alt_response(404, schema=ProblemSchema, content_type=MEDIA_TYPE, description="No public listing has this id.")
def listing(listing_id: int):
    """A listing as its product page shows it, with its badge and its variants."""
    language = current_language()
    page = storefront.product_page(_guest(), listing_id, language)
    if page is None:
        raise ApiRefusal("not-found")
    return presenters.listing_detail(page, language)


@blp.route("/cooperatives/<int:cooperative_id>", methods=["GET"])
@limiter.limit(_public_limit)
@blp.arguments(CooperativeQuerySchema, location="query")
@blp.response(200, CooperativeDetailSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
@blp.alt_response(404, schema=ProblemSchema, content_type=MEDIA_TYPE, description="No public cooperative has this id.")
def cooperative(args, cooperative_id: int):
    """A cooperative's profile, its GI authorizations and a page of its live listings."""
    language = current_language()
    page = storefront.cooperative_page(_guest(), cooperative_id, args["page"])
    if page is None:
        raise ApiRefusal("not-found")
    found = page.cooperative
    return {
        "id": found.id, "name": found.name, "status": found.status.value,
        "county": presenters.county(found.county, language), "description": found.description or "",
        "address": found.address, "phone": found.phone,
        "authorizations": register.authorizations_of(found.id, language),
        "listings": [presenters.listing_summary(item, page.badges[item.id], language) for item in page.listings],
        "page": page.page, "pages": page.pages, "total": page.total,
        "per_page": current_app.config["COOPERATIVE_PAGE_SIZE"],
        "url": external_url("storefront.cooperative", cooperative_id=found.id),
    }
