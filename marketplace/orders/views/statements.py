"""Monthly settlement statements: read by the cooperative's members and supervisors,
downloaded as CSV or PDF, and paid out by a supervisor."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from marketplace.core.permissions import supervisor_required
from marketplace.cooperatives.models import Cooperative
from marketplace.extensions import db
from marketplace.core.i18n import money
from marketplace.orders import statement_files
from marketplace.orders.charts import bar_chart
from marketplace.orders.services import queries, statements
from marketplace.orders.services import sales_report as sales
from marketplace.orders.views._errors import perform

bp = Blueprint("orders_statements", __name__)


def _statement_or_404(cooperative_id: int, month: str) -> statements.Statement:
    """The statement, or 404 (raised by the service) for a bad month or someone else's cooperative."""
    return statements.statement(current_user, cooperative_id, month)


@bp.get("/statements")
@login_required
def index():
    """The seller's cooperatives and their months; supervisors see what every cooperative is owed."""
    cooperatives = queries.seller_cooperatives(current_user)
    if not cooperatives and not current_user.is_supervisor:
        abort(403)
    months = {cooperative.id: statements.months_with_entries(cooperative.id) for cooperative in cooperatives}
    owed = statements.balances() if current_user.is_supervisor else []
    return render_template("orders/statements.html", cooperatives=cooperatives, months=months, owed=owed)


@bp.get("/statements/<int:cooperative_id>")
@login_required
def months(cooperative_id: int):
    if not statements.may_read(current_user, cooperative_id):
        abort(404)
    latest = statements.months_with_entries(cooperative_id)[0]
    return _show(cooperative_id, latest)


@bp.get("/statements/<int:cooperative_id>/<month>")
@login_required
def show(cooperative_id: int, month: str):
    return _show(cooperative_id, month)


def _show(cooperative_id: int, month: str):
    statement = _statement_or_404(cooperative_id, month)
    return render_template("orders/statement.html", statement=statement, rows=statement_files.entry_rows(statement),
                           months=statements.months_with_entries(cooperative_id), action_form=FlaskForm())


@bp.get("/statements/<int:cooperative_id>/<month>/csv")
@login_required
def download_csv(cooperative_id: int, month: str):
    statement = _statement_or_404(cooperative_id, month)
    return _attachment(statement_files.as_csv(statement), "text/csv; charset=utf-8", statement, "csv")


@bp.get("/statements/<int:cooperative_id>/<month>/pdf")
@login_required
def download_pdf(cooperative_id: int, month: str):
    statement = _statement_or_404(cooperative_id, month)
    return _attachment(statement_files.as_pdf(statement), "application/pdf", statement, "pdf")


def _attachment(body, mimetype: str, statement: statements.Statement, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    name = f"statement-{statement.cooperative.id}-{statement.month}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/statements/<int:cooperative_id>/<month>/payout")
@supervisor_required
def pay_out(cooperative_id: int, month: str):
    reference = request.form.get("reference", "")
    return perform(lambda: statements.pay_out(current_user, cooperative_id, month, reference),
                   _("The statement is marked paid out."),
                   url_for("orders_statements.show", cooperative_id=cooperative_id, month=month))


def _sales_grouping() -> str:
    grouping = request.args.get("by", "day")
    if grouping not in sales.GROUPINGS:
        abort(400, _("Choose day, month or product for “by”."))
    return grouping


def _readable_cooperative(cooperative_id: int):
    if not statements.may_read(current_user, cooperative_id):
        abort(404)
    return db.session.get(Cooperative, cooperative_id) or abort(404)


@bp.get("/seller/sales/<int:cooperative_id>")
@login_required
def sales_report(cooperative_id: int):
    """Net sales by day, month or product, with a chart, for the cooperative's members."""
    cooperative = _readable_cooperative(cooperative_id)
    grouping = _sales_grouping()
    rows = sales.report(cooperative_id, grouping)
    chart = bar_chart([(row.label, row.amount_minor) for row in rows], _("Net sales"), shown=money)
    return render_template("orders/sales.html", cooperative=cooperative, grouping=grouping, rows=rows, chart=chart,
                           groupings=sales.GROUPINGS)


@bp.get("/seller/sales/<int:cooperative_id>/csv")
@login_required
def sales_csv(cooperative_id: int):
    _readable_cooperative(cooperative_id)
    grouping = _sales_grouping()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Product") if grouping == "product" else _("Period"), _("Units"), _("Net sales")])
    for row in sales.report(cooperative_id, grouping):
        writer.writerow([statement_files.safe_cell(row.label), "" if row.quantity is None else row.quantity,
                         statement_files.minor_as_decimal(row.amount_minor)])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="sales-{cooperative_id}-{grouping}.csv"'
    return response
