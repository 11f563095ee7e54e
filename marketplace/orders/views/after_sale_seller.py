"""The cooperative's after-sales pages: the requests addressed to it, and its answers."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.permissions import seller_required
from marketplace.orders.after_sale_forms import AcceptForm, GoodsBackForm, RefuseForm
from marketplace.orders.services import after_sale_answers, after_sale_queries
from marketplace.orders.services.errors import DomainError
from marketplace.core.form_errors import show_error

bp = Blueprint("orders_after_sale_seller", __name__, url_prefix="/seller")


@bp.get("/after-sales")
@seller_required
def index():
    """Requests waiting for an answer (or all of them), the nearest deadline first."""
    show_all = request.args.get("show") == "all"
    return render_template("orders/seller_after_sales.html", show_all=show_all,
                           requests=after_sale_queries.seller_requests(current_user, waiting_only=not show_all))


def _page(request_id: int, forms: dict | None = None, status: int = 200):
    found = after_sale_queries.seller_request(current_user, request_id)
    if found is None:
        abort(404)
    forms = forms or {}
    return render_template(
        "orders/seller_after_sale.html", req=found, remaining=after_sale_queries.remaining(found),
        accept_form=forms.get("accept") or AcceptForm(formdata=None),
        goods_form=forms.get("goods") or GoodsBackForm(formdata=None),
        refuse_form=forms.get("refuse") or RefuseForm(formdata=None)), status


@bp.get("/after-sales/<int:request_id>")
@seller_required
def detail(request_id: int):
    return _page(request_id)


def _answer(request_id: int, name: str, form, action, done: str):
    if after_sale_queries.seller_request(current_user, request_id) is None:
        abort(404)
    if form.validate_on_submit():
        try:
            action(form)
        except DomainError as error:
            show_error(form, error)
            return _page(request_id, {name: form}, error.status)
        flash(done, "success")
        return redirect(url_for(".detail", request_id=request_id))
    return _page(request_id, {name: form}, 400)


@bp.post("/after-sales/<int:request_id>/accept")
@seller_required
def accept(request_id: int):
    """Refund all or part of what was asked (for a return: once the goods are back)."""
    return _answer(request_id, "accept", AcceptForm(),
                   lambda form: after_sale_answers.accept(current_user, request_id, form.amount.data),
                   _("The refund is on its way to the buyer."))


@bp.post("/after-sales/<int:request_id>/goods-back")
@seller_required
def goods_back(request_id: int):
    """Ask the buyer to send the goods back first."""
    return _answer(request_id, "goods", GoodsBackForm(),
                   lambda form: after_sale_answers.ask_goods_back(current_user, request_id, form.instructions.data),
                   _("The buyer is asked to send the goods back."))


@bp.post("/after-sales/<int:request_id>/refuse")
@seller_required
def refuse(request_id: int):
    """Refuse, with the reason the buyer (and perhaps a supervisor) will read."""
    return _answer(request_id, "refuse", RefuseForm(),
                   lambda form: after_sale_answers.refuse(current_user, request_id, form.reason.data),
                   _("The buyer is told why you refused."))
