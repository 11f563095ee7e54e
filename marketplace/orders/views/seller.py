"""Sellers' pages: the orders their cooperatives fulfil, packing lists, shipping rules."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from marketplace.core.permissions import seller_required
from marketplace.core.numbers import int_arg
from marketplace.orders.forms import SellerCancelForm, ShipForm, ShippingRuleForm
from marketplace.orders.services import fulfilment, payments, queries, shipping
from marketplace.core.errors import DomainError
from marketplace.core.form_errors import show_error
from marketplace.orders.services.after_sale_queries import request_for_sub_order
from marketplace.orders.views._errors import perform

bp = Blueprint("orders_seller", __name__, url_prefix="/seller")


def _chosen_cooperative(cooperatives) -> int | None:
    """The cooperative picked in the query string, if the user belongs to it (else 404)."""
    if not request.args.get("cooperative_id", ""):
        return None
    chosen = int_arg(request.args, "cooperative_id")
    if chosen not in {c.id for c in cooperatives}:
        abort(404)
    return chosen


@bp.get("/orders")
@seller_required
def index():
    """The parts of orders the seller's cooperatives fulfil, by what is to be done."""
    cooperatives = queries.seller_cooperatives(current_user)
    cooperative_id = _chosen_cooperative(cooperatives)
    filter_name = request.args.get("show", "open")
    if filter_name not in queries.SELLER_FILTERS:
        filter_name = "open"
    return render_template(
        "orders/seller_orders.html", cooperatives=cooperatives, cooperative_id=cooperative_id,
        filter_name=filter_name, filters=list(queries.SELLER_FILTERS),
        sub_orders=queries.seller_sub_orders(current_user, cooperative_id, filter_name),
    )


def _page_or_404(sub_order_id: int):
    page = queries.seller_sub_order_page(current_user, sub_order_id)
    if page is None:
        abort(404)
    return page


def _render_sub_order(sub_order_id: int, ship_form=None, cancel_form=None, status: int = 200):
    return render_template(
        "orders/seller_sub_order.html", page=_page_or_404(sub_order_id), action_form=FlaskForm(),
        ship_form=ship_form or ShipForm(formdata=None), cancel_form=cancel_form or SellerCancelForm(formdata=None),
        after_sale_request=request_for_sub_order(sub_order_id),
    ), status


@bp.get("/orders/<int:sub_order_id>")
@seller_required
def sub_order(sub_order_id: int):
    """Show a parcel to pack and ship, with its actions."""
    return _render_sub_order(sub_order_id)


@bp.get("/orders/<int:sub_order_id>/packing-list")
@seller_required
def packing_list(sub_order_id: int):
    """Print one parcel's packing list."""
    page = _page_or_404(sub_order_id)
    return render_template("orders/packing_list.html", sub_orders=[page.sub])


@bp.get("/orders/packing-lists")
@seller_required
def packing_lists():
    """Print the packing lists of every paid parcel of a cooperative."""
    chosen = int_arg(request.args, "cooperative_id")
    sub_orders = queries.packing_lists(current_user, chosen) if chosen is not None else None
    if sub_orders is None:
        abort(404)
    return render_template("orders/packing_list.html", sub_orders=sub_orders)


def _action(sub_order_id: int, action, done_message: str):
    return perform(action, done_message, url_for(".sub_order", sub_order_id=sub_order_id))


@bp.post("/orders/<int:sub_order_id>/confirm-payment")
@seller_required
def confirm_payment(sub_order_id: int):
    """Confirm an offline payment for this parcel."""
    return _action(sub_order_id, lambda: payments.confirm_offline_payment(current_user, sub_order_id),
                   _("Payment confirmed. You can now pack and ship the parcel."))


@bp.post("/orders/<int:sub_order_id>/deliver")
@seller_required
def deliver(sub_order_id: int):
    """Record that the carrier delivered the parcel."""
    return _action(sub_order_id, lambda: fulfilment.mark_delivered(current_user, sub_order_id),
                   _("Marked as delivered."))


@bp.post("/orders/<int:sub_order_id>/ship")
@seller_required
def ship(sub_order_id: int):
    """Record the carrier and tracking number of a paid parcel."""
    _page_or_404(sub_order_id)
    form = ShipForm()
    if form.validate_on_submit():
        try:
            fulfilment.ship(current_user, sub_order_id, form.carrier.data, form.tracking_number.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Shipped. The buyer has been told the tracking number."), "success")
            return redirect(url_for(".sub_order", sub_order_id=sub_order_id))
    return _render_sub_order(sub_order_id, ship_form=form, status=400 if form.errors else 409)


@bp.post("/orders/<int:sub_order_id>/cancel")
@seller_required
def cancel(sub_order_id: int):
    """Cancel this cooperative's part of an order, with a reason."""
    _page_or_404(sub_order_id)
    form = SellerCancelForm()
    if form.validate_on_submit():
        try:
            fulfilment.cancel_by_seller(current_user, sub_order_id, form.reason.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Cancelled. The stock is back on sale and any payment is being refunded."), "success")
            return redirect(url_for(".sub_order", sub_order_id=sub_order_id))
    return _render_sub_order(sub_order_id, cancel_form=form, status=400 if form.errors else 409)


@bp.route("/shipping", methods=["GET", "POST"])
@seller_required
def shipping_rules():
    """Each cooperative's shipping fee and the provinces it does not ship to."""
    cooperatives = queries.seller_cooperatives(current_user)
    cooperative_id = _chosen_cooperative(cooperatives) or cooperatives[0].id
    rule = shipping.rule_for(cooperative_id)
    form = ShippingRuleForm(data=_rule_data(rule) if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        try:
            shipping.save_rule(current_user, cooperative_id, kind=form.kind.data, fee=form.fee.data,
                               free_above=form.free_above.data, excluded_provinces=form.excluded_provinces.data)
        except DomainError as error:
            show_error(form, error)
            status = error.status
        else:
            flash(_("Shipping rules saved."), "success")
            return redirect(url_for(".shipping_rules", cooperative_id=cooperative_id))
    elif form.errors:
        status = 400
    return render_template("orders/shipping_rules.html", form=form, cooperatives=cooperatives,
                           cooperative_id=cooperative_id, rule=rule), status


def _rule_data(rule) -> dict | None:
    if rule is None:
        return None
    return {
        "kind": rule.kind.value,
        "fee": f"{rule.fee_minor / 100:.2f}",
        "free_above": f"{rule.free_above_minor / 100:.2f}" if rule.free_above_minor else "",
        "excluded_provinces": list(rule.excluded_provinces or []),
    }
