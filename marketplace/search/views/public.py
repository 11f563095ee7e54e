"""The search page, /search?q=…: results, facets, sorting and pages."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from marketplace.core.i18n import current_language
from marketplace.pagecache.pages import keep_with_page, public_page
from marketplace.search import query_log, services
from marketplace.search.forms import SORT_LABELS, SearchForm

bp = Blueprint("search", __name__)
#: Query-string names that a facet or sort link keeps from the current page.
KEPT_ARGS = ("q", "gi", "province", "county", "category", "certified", "poverty", "price", "sort")


@bp.get("/search")
def results():
    """Results are shared per normalised query and trust version (see pagecache/pages.py)."""
    return public_page(lambda _csrf_value: _results_html(), served=_log_search)


def _log_search(entry) -> None:
    """Count the search for the demand figures, whether its page was built or a shared copy."""
    text, total, gi_product = entry
    query_log.log_search(text, total, gi_product)


def _results_html() -> str:
    form = SearchForm(formdata=request.args)
    outcome = services.search_listings(
        form.q.data, form.filters(services.bands()), form.chosen_sort(), form.chosen_page(),
        language=current_language(),
    )
    html = render_template(
        "search/results.html", form=form, outcome=outcome, bands=services.bands(),
        sort_labels=SORT_LABELS, search_url=_search_url, listing_url=_listing_url,
        thumbnail_url=_thumbnail_url,
    )
    # Logged after the answer (see `results`): the log's commit would expire every listing the page reads.
    if outcome.status == "results" and outcome.page == 1:
        keep_with_page((outcome.text, outcome.total, outcome.filters.gi))
    return html


def _search_url(**changes) -> str:
    """This search's URL with some arguments changed (None removes one); back to page 1."""
    args = {key: request.args.get(key) for key in KEPT_ARGS if request.args.get(key)}
    if "q" in args:
        args["q"] = args["q"][:current_app.config["SEARCH_QUERY_MAX_CHARS"]]
    args.update(changes)
    return url_for("search.results", **{key: value for key, value in args.items() if value not in (None, "")})


def _listing_url(listing_id: int) -> str:
    return url_for("storefront.listing", listing_id=listing_id)


def _thumbnail_url(photo) -> str | None:
    return url_for("storefront.photo", name=photo.thumbnail) if photo is not None else None
