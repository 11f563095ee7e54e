"""Invoices (发票): the buyer asks from the order page, the cooperative issues, both download."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.permissions import seller_required
from marketplace.core.uploads import read_upload
from marketplace.orders.invoice_forms import InvoiceRequestForm, InvoiceUploadForm
from marketplace.orders.services import invoices
from marketplace.orders.services.errors import DomainError
from marketplace.core.form_errors import show_error

bp = Blueprint("orders_invoices", __name__)


@bp.app_template_global()
def invoice_requests(order_id: int):
    """The order's invoice requests by sub-order id, for the order pages."""
    return invoices.for_order(order_id)


@bp.app_template_global()
def invoices_asked_among(sub_orders) -> set[int]:
    """Ids of the listed sub-orders whose buyer asked for an invoice, for the seller's order list."""
    return invoices.asked_among(sub.id for sub in sub_orders)


@bp.app_template_global()
def invoice_upload_form():
    return InvoiceUploadForm(formdata=None)


@bp.route("/orders/<int:order_id>/invoice", methods=["GET", "POST"])
@login_required
def ask(order_id: int):
    """The buyer's request; a refusal answers with its own status (409 when one was already asked)."""
    form = InvoiceRequestForm()
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            invoices.request_invoice(current_user, order_id, form.kind.data, form.title.data,
                                     form.taxpayer_id.data)
        except DomainError as error:
            show_error(form, error)
            status = error.status
        else:
            flash(_("Your invoice request was sent to the cooperative."), "success")
            return redirect(url_for("orders.order_detail", order_id=order_id))
    return render_template("orders/invoice_request.html", form=form, order_id=order_id), status


@bp.post("/seller/orders/<int:sub_order_id>/invoice")
@seller_required
def issue(sub_order_id: int):
    form = InvoiceUploadForm()
    if not form.validate_on_submit():
        abort(400)
    upload = read_upload(request.files.get("invoice_file"), invoices.INVOICE_UPLOADS.max_bytes)
    try:
        invoices.issue(current_user, sub_order_id, upload)
    except DomainError as error:
        show_error(None, error)
    else:
        flash(_("The invoice is marked issued."), "success")
    return redirect(url_for("orders_seller.sub_order", sub_order_id=sub_order_id))


@bp.get("/invoices/<int:invoice_id>/file")
@login_required
def download(invoice_id: int):
    path, mime, name = invoices.invoice_file(current_user, invoice_id)  # 404 unless it is theirs
    response = Response(path.read_bytes(), mimetype=mime)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
