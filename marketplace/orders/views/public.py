"""Shoppers' pages: the cart, checkout, their orders and what they can do with them."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from marketplace.core.i18n import safe_next
from marketplace.core.urls import external_url
from marketplace.core.errors import DomainError
from marketplace.core.form_errors import show_error
from marketplace.orders.forms import AddToCartForm, CartLineForm, CartQuantityForm, CheckoutForm
from marketplace.orders.services import cart, checkout as checkout_service, delivery, fulfilment, payments, queries
from marketplace.core.i18n import current_language
from marketplace.core.regions import province_choices
from marketplace.orders.services import destination
from marketplace.orders.views._errors import form_messages, perform

bp = Blueprint("orders", __name__)


def _cart_owner() -> tuple[int | None, dict | None]:
    if current_user.is_authenticated:
        return current_user.id, None
    return None, session.get("cart")


def _keep_guest_cart(items: dict | None) -> None:
    if items is not None:
        session["cart"] = items


def _cart_page(messages=(), status: int = 200):
    user_id, guest = _cart_owner()
    chosen = request.args.get("province")
    if chosen is not None and request.method == "GET":
        destination.remember_choice(session, chosen)
    # A shopper's last address was remembered at sign-in (orders.signals): no lookup here.
    province = destination.known_province(chosen, session.get(destination.SESSION_KEY), None)
    return render_template("orders/cart.html", cart=destination.cart_for_delivery(user_id, guest, province),
                           messages=list(messages), action_form=FlaskForm(), province=province,
                           provinces=province_choices(current_language())), status


def _field_message(form, error: DomainError) -> tuple[str, str]:
    if error.status == 404 and error.field != "listing_id":
        raise error
    field = getattr(form, error.field, None) if error.field else None
    return (str(field.label.text) if field is not None else "", str(error))


@bp.get("/cart")
def cart_page():
    """Show the cart with today's prices and stock."""
    return _cart_page()


@bp.post("/cart/add")
def add_to_cart():
    """Add a product to the cart (the product page posts listing_id and quantity here)."""
    form = AddToCartForm()
    if not form.validate_on_submit():
        return _cart_page(form_messages(form), 400)
    user_id, guest = _cart_owner()
    try:
        _keep_guest_cart(cart.add_to_cart(user_id, guest, form.listing_id.data, form.quantity.data,
                                                 form.variant_id.data))
    except DomainError as error:
        return _cart_page([_field_message(form, error)], error.status)
    flash(_("Added to your cart."), "success")
    return redirect(safe_next(request.form.get("next"), url_for(".cart_page")))


@bp.post("/cart/items/<int:listing_id>")
def update_cart_item(listing_id: int):
    """Change the quantity of a cart line."""
    form = CartQuantityForm()
    if not form.validate_on_submit():
        return _cart_page(form_messages(form), 400)
    user_id, guest = _cart_owner()
    try:
        _keep_guest_cart(cart.set_quantity(user_id, guest, listing_id, form.quantity.data,
                                                 form.variant_id.data))
    except DomainError as error:
        if error.status == 404:
            raise
        return _cart_page([_field_message(form, error)], error.status)
    flash(_("Your cart is updated."), "success")
    return redirect(url_for(".cart_page"))


@bp.post("/cart/items/<int:listing_id>/remove")
def remove_cart_item(listing_id: int):
    """Take a line out of the cart."""
    form = CartLineForm()
    if not form.validate_on_submit():
        return _cart_page(form_messages(form), 400)
    user_id, guest = _cart_owner()
    _keep_guest_cart(cart.remove_from_cart(user_id, guest, listing_id, form.variant_id.data))
    flash(_("Removed from your cart."), "success")
    return redirect(url_for(".cart_page"))


def _payment_urls(order_id: int) -> tuple[str, str]:
    return (external_url("orders.payment_return", order_id=order_id),
            external_url("orders.order_detail", order_id=order_id))


def _after_placing(placed: checkout_service.PlacedOrder, success_message: str):
    if placed.payment_url:
        return redirect(placed.payment_url, code=303)
    if placed.payment_problem:
        flash(placed.payment_problem, "error")
    else:
        flash(success_message, "success")
    return redirect(url_for(".order_detail", order_id=placed.order_id))


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout():
    """Address, payment method and summary; placing the order reserves the whole basket."""
    methods = checkout_service.payment_methods(current_user.id)
    prefill = destination.last_address(current_user.id) if request.method == "GET" else {}
    if request.method == "GET" and not prefill and session.get(destination.SESSION_KEY):
        prefill = {"province": session[destination.SESSION_KEY]}  # chosen on a product page or the cart
    points = delivery.pickup_points_for(line.cooperative_id for line in cart.cart_view(current_user.id).lines)
    form = CheckoutForm(methods, data=prefill or None, pickup_points=points)
    status = 200
    if form.validate_on_submit():
        address = {name: form[name].data for name in ("recipient", "mobile", "mobile_region", "province", "city",
                                                       "county", "street")}
        if form.delivery.data == "pickup":
            address["pickup_point_id"] = form.pickup_point_id.data
        try:
            placed = checkout_service.place_order(current_user, address, form.payment_method.data, _payment_urls,
                                                  invoice=form.invoice_answers())
        except DomainError as error:
            show_error(form, error)
            status = error.status
        else:
            if form.delivery.data != "pickup":
                destination.remember_choice(session, address["province"])
            return _after_placing(placed, _("Thank you! Your order is placed."))
    elif form.errors:
        status = 400
    summary = checkout_service.checkout_summary(current_user.id, form.province.data or None,
                                                pickup=form.delivery.data == "pickup")
    if summary.is_empty and status == 200:
        flash(_("Your cart is empty."), "info")
        return redirect(url_for(".cart_page"))
    return render_template("orders/checkout.html", form=form, summary=summary, methods=methods,
                           pickup_points=points), status


@bp.get("/orders")
@login_required
def order_list():
    """List the shopper's orders."""
    return render_template("orders/order_list.html", orders=queries.buyer_orders(current_user))


@bp.get("/orders/<int:order_id>")
@login_required
def order_detail(order_id: int):
    """Show an order: parcels, tracking numbers, timeline, and what can be done."""
    page = queries.buyer_order_page(current_user, order_id)
    if page is None:
        abort(404)
    from marketplace.orders.after_sale_forms import ReturnTrackingForm
    from marketplace.orders.services.after_sale_queries import for_order
    from marketplace.orders.services.seller_notices import bank_transfer_details

    return render_template("orders/order_detail.html", page=page, action_form=FlaskForm(),
                           after_sales=for_order(page.order), transfers=bank_transfer_details(page.order),
                           tracking_form=ReturnTrackingForm(formdata=None))


@bp.get("/orders/<int:order_id>/payment")
@login_required
def payment_return(order_id: int):
    """Where the hosted payment page sends the shopper back: it shows, never decides, the state."""
    page = queries.buyer_order_page(current_user, order_id)
    if page is None:
        abort(404)
    return render_template("orders/payment_return.html", page=page)


def _order_action(order_id: int, action, done_message: str):
    return perform(action, done_message, url_for(".order_detail", order_id=order_id))


@bp.post("/orders/<int:order_id>/pay")
@login_required
def pay(order_id: int):
    """Send the shopper to the hosted payment page of an unpaid order."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        placed = payments.start_payment(current_user, order_id, _payment_urls)
    except DomainError as error:
        show_error(None, error)
        return redirect(url_for(".order_detail", order_id=order_id))
    return _after_placing(placed, "")


@bp.post("/orders/<int:order_id>/cancel")
@login_required
def cancel(order_id: int):
    """Cancel the shopper's order before anything ships."""
    return _order_action(order_id, lambda: fulfilment.cancel_by_buyer(current_user, order_id),
                         _("Your order is cancelled."))


@bp.post("/orders/<int:order_id>/parcels/<int:sub_order_id>/received")
@login_required
def confirm_receipt(order_id: int, sub_order_id: int):
    """Record that a parcel arrived."""
    return _order_action(order_id, lambda: fulfilment.confirm_receipt(current_user, order_id, sub_order_id),
                         _("Thank you for confirming."))
