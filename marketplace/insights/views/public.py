"""The public index: /insights, its open-data files, schema and method.

Officials and supervisors use the same page: signed in, they see their counties (or the
whole city) without suppression and with a drill-down to cooperatives.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request
from flask_login import current_user

from marketplace.core.i18n import current_language
from marketplace.insights import opendata, page, report, snapshots
from marketplace.core.errors import DomainError
from marketplace.insights.forms import PublishMonthForm
from marketplace.insights.months import Month
from marketplace.pagecache.pages import public_page

bp = Blueprint("insights", __name__, url_prefix="/insights")


@bp.errorhandler(DomainError)
def _refused(error: DomainError):
    return render_template("errors/error.html", code=error.status, title=str(error), message=str(error),
                           detail=None), error.status


@bp.get("")
def index():
    """The month's index; anonymous visitors share a copy until any month's figures are stored again."""
    now_month = snapshots.current_month()
    wanted = page.parse_request(request.args, current_language(), now_month)
    page.refresh_if_stale(wanted, now_month)
    viewer = report.Viewer.of(current_user)

    def render(_csrf_value) -> str:
        model = page.build_page(wanted, viewer, now_month)
        form = PublishMonthForm(month=str(wanted.month)) if viewer.kind == "supervisor" else None
        return render_template("insights/index.html", page=model, viewer=viewer, publish_form=form,
                               now_month=now_month)

    if viewer.kind != "public":
        return render(None)
    return public_page(render, version=lambda: snapshots.figures_version(now_month))


@bp.get("/method")
def method():
    schema = opendata.schema()
    rows = [(m["label"], name, m["theme"], m["unit"]) for name, m in schema["metrics"].items()]
    return render_template("insights/method.html", schema=schema, metric_rows=rows)


@bp.get("/data/schema.json")
def data_schema():
    return jsonify(opendata.schema())


@bp.get("/data/<string:month>.csv")
def data_csv(month: str):
    chosen = Month.parse(month)
    _status, records = opendata.month_records(chosen)
    return Response(opendata.as_csv(records), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="terroir-insights-{chosen}.csv"'})


@bp.get("/data/<string:month>.json")
def data_json(month: str):
    chosen = Month.parse(month)
    status, records = opendata.month_records(chosen)
    return jsonify(opendata.as_json(chosen, status, records))
