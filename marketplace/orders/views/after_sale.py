"""The buyer's after-sales pages: ask about a delivered parcel, send goods back, escalate;
and the request's photos, shown only to those concerned."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.uploads import read_upload
from marketplace.orders import after_sale_photos
from marketplace.orders.after_sale_forms import AfterSaleRequestForm, ReturnTrackingForm
from marketplace.orders.services import after_sale, after_sale_queries
from marketplace.orders.services.errors import DomainError
from marketplace.core.form_errors import show_error
from marketplace.orders.views._errors import perform

bp = Blueprint("orders_after_sale", __name__)


def _uploads(form: AfterSaleRequestForm):
    limit = current_app.config["PHOTO_MAX_BYTES"]
    files = [item for item in (form.photos.data or []) if getattr(item, "filename", "")]
    return [read_upload(item, limit) for item in files]


@bp.route("/orders/<int:order_id>/parcels/<int:sub_order_id>/after-sale", methods=["GET", "POST"])
@login_required
def request_form(order_id: int, sub_order_id: int):
    """Ask for a refund or a return of a delivered parcel, with a reason and photos."""
    found = after_sale_queries.buyer_request_form_data(current_user, order_id, sub_order_id)
    if found is None:
        abort(404)
    order, sub, available, window_ends = found
    form = AfterSaleRequestForm()
    status = 200
    if form.validate_on_submit():
        try:
            after_sale.request_after_sale(current_user, order_id, sub_order_id, kind=form.kind.data,
                                          reason=form.reason.data, amount=form.amount.data,
                                          uploads=_uploads(form))
        except DomainError as error:
            show_error(form, error)
            status = error.status
        else:
            flash(_("Your request is sent to the cooperative. It answers within %(days)d working days.",
                    days=current_app.config["AFTER_SALE_ANSWER_WORKING_DAYS"]), "success")
            return redirect(url_for("orders.order_detail", order_id=order_id) + f"#parcel-{sub_order_id}")
    elif form.errors:
        status = 400
    return render_template("orders/after_sale_request.html", form=form, order=order, sub=sub,
                           available=available, window_ends=window_ends), status


@bp.post("/orders/after-sale/<int:request_id>/goods-sent")
@login_required
def goods_sent(request_id: int):
    """The buyer gives the tracking number of the goods sent back."""
    request = after_sale.own_request_or_none(current_user, request_id)
    if request is None:
        abort(404)
    form = ReturnTrackingForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        after_sale.send_goods_back(current_user, request_id, form.tracking_number.data)
    except DomainError as error:
        show_error(None, error)
    else:
        flash(_("Thank you: the cooperative is told the goods are on their way back."), "success")
    return redirect(url_for("orders.order_detail", order_id=request.order_id) + f"#parcel-{request.sub_order_id}")


@bp.post("/orders/after-sale/<int:request_id>/escalate")
@login_required
def escalate(request_id: int):
    """Take a refused or unanswered request to a market supervisor."""
    request = after_sale.own_request_or_none(current_user, request_id)
    if request is None:
        abort(404)
    return perform(lambda: after_sale.escalate(current_user, request_id),
                   _("A market supervisor will look at your request."),
                   url_for("orders.order_detail", order_id=request.order_id) + f"#parcel-{request.sub_order_id}")


@bp.get("/after-sale/<int:request_id>/photos/<name>")
@login_required
def photo(request_id: int, name: str):
    """A request's photo, for its buyer, the cooperative's members and supervisors only."""
    found = after_sale_queries.photo_for(current_user, request_id, name)
    path = after_sale_photos.path_of(name) if found else None
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=0, conditional=True, etag=True)
    response.headers["Cache-Control"] = "private, no-store"
    return response
