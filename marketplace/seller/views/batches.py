"""Seller pages for production batches: record, edit, read the validation, open the report."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.permissions import seller_required
from marketplace.catalog import services as catalog
from marketplace.core import storage
from marketplace.core.errors import DomainError
from marketplace.catalog.models import Batch
from marketplace.catalog.standards import standard_for
from marketplace.core.uploads import read_upload
from marketplace.core.i18n import current_language
from marketplace.seller import services
from marketplace.seller.batch_forms import ChooseProductForm, batch_form_class
from marketplace.seller.views import bp
from marketplace.core.form_errors import show_error
from marketplace.seller.views.common import working_cooperative


def _details(form) -> catalog.BatchDetails:
    return catalog.BatchDetails(
        county_code=form.county_code.data, harvest_date=form.harvest_date.data,
        quantity=form.quantity.data, unit=form.unit.data, variety=form.variety.data,
        grade=form.grade.data, product_type=form.product_type.data if "product_type" in form else None,
        lab_name=form.lab_name.data or "",
        lab_report_number=form.lab_report_number.data or "", measurements=form.measurements())


def _lab_report(form):
    return read_upload(form.lab_report.data, current_app.config["LAB_REPORT_MAX_BYTES"])


@bp.get("/batches")
@seller_required
def batches():
    cooperative = working_cooperative()
    return render_template("seller/batches.html", cooperative=cooperative,
                           batches=catalog.batches_of(cooperative.id))


@bp.route("/batches/new", methods=["GET", "POST"])
@seller_required
def new_batch():
    """Record a batch; the form is built from the chosen GI product's standard."""
    cooperative = working_cooperative()
    language = current_language()
    standard = standard_for(request.args.get("product"))
    if standard is None:
        chooser = ChooseProductForm(request.args)
        chooser.product.choices = services.products_for(cooperative, language)
        return render_template("seller/batch_choose_product.html", chooser=chooser, cooperative=cooperative)
    form = batch_form_class(standard, language)()
    if not form.is_submitted():
        form.county_code.data = cooperative.county_code
        form.cooperative_id.data = str(cooperative.id)
    if form.validate_on_submit():
        try:
            batch = catalog.record_batch(current_user, cooperative.id, standard.slug, _details(form),
                                         _lab_report(form))
        except DomainError as error:
            show_error(form, error)
        else:
            _flash_verdict(batch)
            return redirect(url_for("seller.batch", batch_id=batch.id))
    return render_template("seller/batch_form.html", form=form, standard=standard, cooperative=cooperative,
                           batch=None), 400 if form.errors else 200


@bp.get("/batches/<int:batch_id>")
@seller_required
def batch(batch_id: int):
    record = catalog.batch_for_member(current_user, batch_id) or abort(404)
    return render_template("seller/batch_detail.html", batch=record, report=catalog.report_of(record),
                           standard=standard_for(record.standard_slug), balance=catalog.balance_of(record))


@bp.route("/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@seller_required
def edit_batch(batch_id: int):
    record = catalog.batch_for_member(current_user, batch_id) or abort(404)
    standard = standard_for(record.standard_slug) or abort(404)
    form_class = batch_form_class(standard, current_language())
    form = form_class(obj=record) if request.method != "POST" else form_class()
    if not form.is_submitted():
        form.cooperative_id.data = str(record.cooperative_id)
        form.unit.data = record.unit.value
        for key, name in form.measurement_keys:
            value = (record.measurements or {}).get(key)
            form[name].data = "" if value is None else str(value)
    if form.validate_on_submit():
        try:
            record = catalog.update_batch(current_user, batch_id, _details(form), _lab_report(form))
        except DomainError as error:
            show_error(form, error)
        else:
            _flash_verdict(record)
            return redirect(url_for("seller.batch", batch_id=record.id))
    return render_template("seller/batch_form.html", form=form, standard=standard,
                           cooperative=record.cooperative, batch=record), 400 if form.errors else 200


@bp.get("/batches/<int:batch_id>/lab-report")
@login_required
def lab_report(batch_id: int):
    """Send a batch's lab report to those allowed to read it (see can_view_lab_report)."""
    record = catalog.lab_report_of(current_user, batch_id) or abort(404)
    path = storage.path_of(storage.LAB_REPORTS, record.lab_report_file)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=record.lab_report_mime, as_attachment=False,
                         download_name=record.lab_report_original_name or path.name, max_age=0,
                         conditional=True)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _flash_verdict(batch: Batch) -> None:
    if batch.validation_passed:
        flash(_("Batch saved. It meets the standard."), "success")
    else:
        flash(_("Batch saved, but it does not meet the standard: see the findings below."), "warning")
