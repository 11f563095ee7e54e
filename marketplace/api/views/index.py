"""Public, read-only endpoints of the e-commerce index (Art. 16): open data, cache-friendly.

The figures are the /insights page's, as a visitor who is not signed in sees them (see
api/index_figures.py). Any cache may keep an answer: a published month for a day (it never
changes), a provisional one until it is due to be recomputed. Like every public read they
carry an ETag and CORS (http.py), and vary by language, picked as the site picks it.
"""
from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from marketplace.api import index_figures
from marketplace.api.http import install_problem_handlers, install_public_read_headers
from marketplace.api.schemas_common import ProblemSchema
from marketplace.api.schemas_index import (
    MetricCatalogueSchema,
    MonthFiguresQuerySchema,
    MonthFiguresSchema,
    MonthListSchema,
)
from marketplace.api.views.public import NOT_MODIFIED
from marketplace.core.problems import BY_STATUS, MEDIA_TYPE, problem
from marketplace.extensions import limiter
from marketplace.core.i18n import current_language
from marketplace.insights.errors import BadMonth, MonthNotAvailable

blp = Blueprint("api_insights", __name__, url_prefix="/api/v1/insights",
                description="The public e-commerce index (Art. 16): monthly figures as open data, small cells "
                            "withheld. No token needed, limited per client address.")
install_problem_handlers(blp)
install_public_read_headers(blp)

MONTH_PARAMETER = {"in": "path", "name": "month", "description": "The month, written YYYY-MM.",
                   "schema": {"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-10"}}


def _month_refused(error: BadMonth | MonthNotAvailable):
    """A month refused by the index answers naming the path parameter it came in."""
    detail = str(error)
    return problem(BY_STATUS.get(error.status, "bad-request"), detail, errors={"path": {error.field or "month": [detail]}})


for _refusal in (BadMonth, MonthNotAvailable):
    blp.errorhandler(_refusal)(_month_refused)


def _public_limit() -> str:
    return current_app.config["API_PUBLIC_RATE_LIMIT"]


def _cached(answer: index_figures.Answer):
    """The answer with the headers that let any cache keep it for as long as it stays right."""
    headers = {"Cache-Control": f"public, max-age={answer.max_age}", "Vary": "Accept-Language, Cookie"}
    if answer.last_modified is not None:
        headers["Last-Modified"] = answer.last_modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return answer.body, 200, headers


@blp.route("/months", methods=["GET"])
@limiter.limit(_public_limit)
@blp.response(200, MonthListSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
def months():
    """The months of the index with their status, newest first; the current one is always there."""
    return _cached(index_figures.months())


@blp.route("/months/<month>", methods=["GET"], parameters=[MONTH_PARAMETER])
@limiter.limit(_public_limit)
@blp.arguments(MonthFiguresQuerySchema, location="query", error_status_code=400)
@blp.response(200, MonthFiguresSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
@blp.alt_response(400, schema=ProblemSchema, content_type=MEDIA_TYPE,
                  description="Not a month written YYYY-MM, or an unknown metric or cut (named in `errors`).")
@blp.alt_response(404, schema=ProblemSchema, content_type=MEDIA_TYPE,
                  description="No figures for this month (not computed yet, or not begun).")
def month_figures(args, month: str):
    """One month's figures, by metric and cut, exactly as the /insights page shows them to the public.

    Cells with too few cooperatives behind them are withheld: `value` null, `suppressed`
    true. A published month never changes; a provisional one is recomputed until published.
    """
    return _cached(index_figures.month_figures(month, args.get("metric"), args.get("cut"), current_language()))


@blp.route("/metrics", methods=["GET"])
@limiter.limit(_public_limit)
@blp.response(200, MetricCatalogueSchema)
@blp.alt_response(304, description=NOT_MODIFIED)
def metrics():
    """The metrics and cuts of the index, named in the caller's language, and the suppression minimum."""
    return _cached(index_figures.catalogue())
