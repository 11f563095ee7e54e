"""Sellers' pages for their cooperative's pickup points (village service stations)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.permissions import seller_required
from marketplace.core.numbers import int_arg
from marketplace.orders.pickup_forms import PickupPointForm
from marketplace.orders.services import delivery, queries
from marketplace.orders.services.errors import DomainError
from marketplace.core.form_errors import show_error
from marketplace.orders.views._errors import perform

bp = Blueprint("orders_pickup_seller", __name__, url_prefix="/seller")


def _cooperative_id(cooperatives) -> int:
    """The cooperative chosen in the query string (one of the user's, else 404), or the first."""
    if not cooperatives:
        abort(403)
    if not request.args.get("cooperative_id", ""):
        return cooperatives[0].id
    chosen = int_arg(request.args, "cooperative_id")
    if chosen not in {c.id for c in cooperatives}:
        abort(404)
    return chosen


@bp.route("/pickup-points", methods=["GET", "POST"])
@seller_required
def pickup_points():
    """List the cooperative's open pickup points and add one."""
    cooperatives = queries.seller_cooperatives(current_user)
    cooperative_id = _cooperative_id(cooperatives)
    form = PickupPointForm()
    status = 200
    if form.validate_on_submit():
        try:
            delivery.save_pickup_point(current_user, cooperative_id, form.data)
        except DomainError as error:
            show_error(form, error)
            status = error.status
        else:
            flash(_("Pickup point saved."), "success")
            return redirect(url_for(".pickup_points", cooperative_id=cooperative_id))
    elif form.errors:
        status = 400
    return render_template("orders/pickup_points.html", form=form, cooperatives=cooperatives,
                           cooperative_id=cooperative_id,
                           points=delivery.pickup_points_of(cooperative_id)), status


@bp.post("/pickup-points/<int:point_id>/close")
@seller_required
def close_pickup_point(point_id: int):
    """Stop offering a pickup point; orders that name it keep it."""
    cooperatives = queries.seller_cooperatives(current_user)
    cooperative_id = _cooperative_id(cooperatives)
    return perform(lambda: delivery.close_pickup_point(current_user, cooperative_id, point_id),
                   _("Pickup point closed."), url_for(".pickup_points", cooperative_id=cooperative_id))
