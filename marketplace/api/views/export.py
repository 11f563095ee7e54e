"""The regulator's export, with a market supervisor's export token: JSON or CSV, page by page."""
from __future__ import annotations

from flask import Response, current_app
from flask_smorest import Blueprint

from marketplace.api import export
from marketplace.api.auth import token_required
from marketplace.api.http import install_problem_handlers
from marketplace.api.models import TokenScope
from marketplace.api.schemas_private import ExportQuerySchema, export_page_schema

blp = Blueprint("api_export", __name__, url_prefix="/api/v1/export",
                description="Open government data for the regulator: a supervisor's export token.")
install_problem_handlers(blp)


def _page(args) -> tuple[int, int]:
    config = current_app.config
    return args["page"], min(args["per_page"] or config["API_PAGE_SIZE"], config["API_MAX_PAGE_SIZE"])


def _json_view(name: str):
    def view(args):
        page, per_page = _page(args)
        rows, total = export.page_of(name, page, per_page)
        return {"dataset": name, "items": rows, "page": page, "per_page": per_page, "total": total,
                "pages": -(-total // per_page)}

    return view


def _csv_view(name: str):
    def view(args):
        page, per_page = _page(args)
        rows, total = export.page_of(name, page, per_page)
        response = Response(export.as_csv(name, rows), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}-page-{page}.csv"'
        response.headers["X-Total-Count"] = str(total)
        return response

    return view


def _register(dataset: export.Dataset) -> None:
    page_schema = export_page_schema(dataset.name.title(), dataset.fields)
    json_view = _json_view(dataset.name)
    json_view.__name__ = f"export_{dataset.name}"
    json_view.__doc__ = f"{dataset.title}, a page in id order (JSON)."
    blp.route(f"/{dataset.name}", methods=["GET"], endpoint=json_view.__name__)(
        token_required(blp, TokenScope.EXPORT)(
            blp.arguments(ExportQuerySchema, location="query")(blp.response(200, page_schema)(json_view))))
    csv_view = _csv_view(dataset.name)
    csv_view.__name__ = f"export_{dataset.name}_csv"
    csv_view.__doc__ = f"{dataset.title}, a page in id order (CSV with a header line; X-Total-Count)."
    example = ",".join(dataset.fields) + "\r\n"
    blp.route(f"/{dataset.name}.csv", methods=["GET"], endpoint=csv_view.__name__)(
        token_required(blp, TokenScope.EXPORT)(
            blp.arguments(ExportQuerySchema, location="query")(
                blp.response(200, content_type="text/csv", example=example)(csv_view))))


for _dataset in export.DATASETS.values():
    _register(_dataset)
