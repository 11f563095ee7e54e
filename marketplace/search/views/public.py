"""The search page, /search?q=…: results, facets, sorting and pages."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from marketplace.core.i18n import current_language
from marketplace.search import services
from marketplace.search.forms import SORT_LABELS, SearchForm

bp = Blueprint("search", __name__)
#: Query-string names that a facet or sort link keeps from the current page.
KEPT_ARGS = ("q", "gi", "province", "county", "category", "certified", "price", "sort")


@bp.get("/search")
def results():
    form = SearchForm(formdata=request.args)
    outcome = services.search_listings(
        form.q.data, form.filters(services.bands()), form.chosen_sort(), form.chosen_page(),
        language=current_language(),
    )
    return render_template(
        "search/results.html", form=form, outcome=outcome, bands=services.bands(),
        sort_labels=SORT_LABELS, search_url=_search_url, listing_url=_listing_url,
        thumbnail_url=_thumbnail_url,
    )


def _search_url(**changes) -> str:
    """This search's URL with some arguments changed (None removes one); back to page 1."""
    args = {key: request.args.get(key) for key in KEPT_ARGS if request.args.get(key)}
    if "q" in args:
        args["q"] = args["q"][:current_app.config["SEARCH_QUERY_MAX_CHARS"]]
    args.update(changes)
    return url_for("search.results", **{key: value for key, value in args.items() if value not in (None, "")})


def _url_for_rule(endpoint: str, value) -> str | None:
    rules = current_app.url_map._rules_by_endpoint.get(endpoint) or []
    for rule in rules:
        if len(rule.arguments) == 1:
            return url_for(endpoint, **{next(iter(rule.arguments)): value})
    return None


def _listing_url(listing_id: int) -> str:
    """The product page (the storefront's endpoint once it exists, else its public path)."""
    return _url_for_rule("storefront.listing", listing_id) or f"/listings/{int(listing_id)}"


def _thumbnail_url(photo) -> str | None:
    """A photo's thumbnail URL, from whichever endpoint serves /media/photos/<name>."""
    if photo is None:
        return None
    for rule in current_app.url_map.iter_rules():
        if rule.rule.startswith("/media/photos/") and len(rule.arguments) == 1:
            return url_for(rule.endpoint, **{next(iter(rule.arguments)): photo.thumbnail})
    return None
