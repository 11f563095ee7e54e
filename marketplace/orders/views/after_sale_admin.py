"""Supervisors' page of after-sales requests escalated to them, and their decision."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.permissions import supervisor_required
from marketplace.extensions import db
from marketplace.orders.after_sale_forms import DecideForm
from marketplace.orders.models.after_sale import AfterSaleRequest
from marketplace.orders.services import after_sale_answers, after_sale_queries
from marketplace.orders.services.errors import DomainError
from marketplace.core.form_errors import show_error

bp = Blueprint("orders_after_sale_admin", __name__, url_prefix="/admin")


@bp.get("/after-sales")
@supervisor_required
def index():
    """Escalated requests, the oldest first (or every request, with ?show=all)."""
    show_all = request.args.get("show") == "all"
    return render_template("orders/admin_after_sales.html", show_all=show_all,
                           requests=after_sale_queries.escalated_requests(show_all=show_all))


@bp.route("/after-sales/<int:request_id>", methods=["GET", "POST"])
@supervisor_required
def detail(request_id: int):
    """Read the case (reason, photos, the cooperative's answer, the timeline) and decide it."""
    found = db.session.get(AfterSaleRequest, request_id)
    if found is None:
        abort(404)
    form = DecideForm()
    status = 200
    if form.validate_on_submit():
        try:
            after_sale_answers.decide(current_user, request_id, grant=form.decision.data == "grant",
                                      amount=form.amount.data, note=form.note.data)
        except DomainError as error:
            show_error(form, error)
            status = error.status
        else:
            flash(_("Your decision is recorded and the buyer and the cooperative are told."), "success")
            return redirect(url_for(".detail", request_id=request_id))
    elif form.errors:
        status = 400
    found = db.session.get(AfterSaleRequest, request_id, populate_existing=True)
    return render_template("orders/admin_after_sale.html", req=found, form=form,
                           remaining=after_sale_queries.remaining(found)), status
