"""The cooperative's certification pages: apply for the GI mark, send batches, print labels.

Every URL is checked against the user's memberships on the server: a file of another
cooperative answers 403, a file that does not exist 404.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.permissions import seller_required
from marketplace.catalog.models import Batch
from marketplace.certification.services import access, authorizations, catalogue, certificates, documents, labels, overview, package_sizes, production_sites, trace_codes
from marketplace.certification.forms import (
    ApplyForm,
    ConfirmForm,
    ResubmitForm,
    SerialCodesForm,
)
from marketplace.certification.models import AuthorizationDocument, GIAuthorization
from marketplace.certification.views import template_helpers
from marketplace.core.errors import DomainError
from marketplace.core.form_errors import show_error
from marketplace.core.i18n import current_language
from marketplace.core.numbers import int_arg, parse_int
from marketplace.core.timeutil import utcnow
from marketplace.core.uploads import Upload, read_upload
from marketplace.core.urls import external_url
from marketplace.extensions import db

bp = Blueprint("certification_seller", __name__, url_prefix="/seller/certification")
bp.context_processor(template_helpers)


def _upload(field) -> Upload | None:
    return read_upload(field.data, current_app.config["CERTIFICATION_DOCUMENT_MAX_BYTES"])


def _own(model, object_id: int, cooperative_id_of=lambda subject: subject.cooperative_id):
    subject = db.session.get(model, object_id)
    if subject is None:
        abort(404)
    if not access.is_member(current_user, cooperative_id_of(subject)):
        abort(403)
    return subject


@bp.get("/", endpoint="overview")
@seller_required
def overview_page():
    files = overview.seller_overview(current_user)
    return render_template("certification/seller_overview.html", files=files, now=utcnow(),
                           submit_form=ConfirmForm())


@bp.route("/apply", methods=["GET", "POST"])
@seller_required
def apply():
    """Apply for the GI mark of one product, with the documents the process asks for."""
    form = ApplyForm()
    language = current_language()
    files = overview.seller_overview(current_user)
    form.cooperative_id.choices = [(f.cooperative.id, f.cooperative.name) for f in files]
    form.standard_slug.choices = [("", "—")] + catalogue.product_choices(language)
    form.production_sites.choices = production_sites.county_choices(language)
    if request.method == "GET":
        form.cooperative_id.data = int_arg(request.args, "cooperative") or (
            files[0].cooperative.id if files else None)
        form.standard_slug.data = request.args.get("product", "")
    if form.validate_on_submit():
        try:
            authorization = authorizations.apply_for_authorization(
                current_user, cooperative_id=form.cooperative_id.data,
                standard_slug=form.standard_slug.data, statement=form.statement.data,
                origin_report=_upload(form.origin_report),
                application_form=_upload(form.application_form), sites=form.production_sites.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your application was sent to the officials of your county."), "success")
            return redirect(url_for("certification_seller.authorization", authorization_id=authorization.id))
    return render_template("certification/seller_apply.html", form=form, files=files,
                           language=language), 400 if form.errors else 200


@bp.get("/authorizations/<int:authorization_id>")
@seller_required
def authorization(authorization_id: int):
    record = _own(GIAuthorization, authorization_id)
    return render_template("certification/seller_authorization.html", authorization=record,
                           form=ResubmitForm(), now=utcnow())


@bp.post("/authorizations/<int:authorization_id>/resubmit")
@seller_required
def resubmit(authorization_id: int):
    """Answer the county office's request and send the application back for review."""
    record = _own(GIAuthorization, authorization_id)
    form = ResubmitForm()
    if form.validate_on_submit():
        try:
            authorizations.resubmit_authorization(current_user, authorization_id, answer=form.answer.data,
                                                  supplement=_upload(form.supplement))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your answer was sent; the application is back in review."), "success")
            return redirect(url_for("certification_seller.authorization", authorization_id=authorization_id))
    return render_template("certification/seller_authorization.html", authorization=record, form=form,
                           now=utcnow()), 400


@bp.get("/documents/<int:document_id>")
@seller_required
def document(document_id: int):
    record = _own(AuthorizationDocument, document_id, lambda d: d.authorization.cooperative_id)
    return documents.send_document(record)


@bp.post("/batches/<int:batch_id>/submit")
@seller_required
def submit_batch(batch_id: int):
    """Send a batch to the county officials' queue (a batch never enters it by itself)."""
    _own(Batch, batch_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        certificates.submit_batch(current_user, batch_id)
    except DomainError as error:
        show_error(None, error)
    else:
        flash(_("The batch was sent to the county officials for certification."), "success")
    return redirect(url_for("certification_seller.overview"))


@bp.get("/batches/<int:batch_id>/labels")
@seller_required
def label_sheet(batch_id: int):
    """The label sheet: printable HTML, or ?format=pdf / ?format=png to download."""
    _own(Batch, batch_id)
    copies = int_arg(request.args, "copies", 1, minimum=0)  # 0: serial labels only
    include_serials = request.args.get("serials", "1") != "0"
    size = request.args.get("size") or None
    size_id = parse_int(size, minimum=1) if size else None
    if size and size_id is None:
        abort(404)
    try:
        sheet = labels.label_sheet(
            current_user, batch_id, copies=copies, include_serials=include_serials,
            verify_url=lambda code: external_url("certification_public.verify_code", code=code),
            language=current_language(), variant_id=size_id)
    except DomainError as error:
        show_error(None, error)  # 403 and 404 (a size of no listing of this batch) go on to core
        return redirect(url_for("certification_seller.overview"))
    kind = request.args.get("format", "html")
    if kind == "pdf":
        return Response(labels.sheet_pdf(sheet), mimetype="application/pdf", headers={
            "Content-Disposition": f"attachment; filename=labels-batch-{batch_id}.pdf"})
    if kind == "png":
        return Response(labels.sheet_png(sheet, int_arg(request.args, "page", 1)), mimetype="image/png",
                        headers={"Content-Disposition": f"attachment; filename=labels-batch-{batch_id}.png"})
    sizes = package_sizes.batch_sizes(batch_id)
    form = SerialCodesForm(data={"net_weight_grams": trace_codes.default_package_weight(batch_id),
                                 "variant_id": size_id or (sizes[0].id if len(sizes) == 1 else None)})
    return render_template("certification/labels.html", sheet=sheet, batch_id=batch_id, copies=copies,
                           include_serials=include_serials, form=form, sizes=sizes, size_id=size_id,
                           size_name=package_sizes.size_choice_label)


@bp.post("/batches/<int:batch_id>/serials")
@seller_required
def add_serials(batch_id: int):
    """Issue numbered codes, one for each package of the batch."""
    _own(Batch, batch_id)
    form = SerialCodesForm()
    size = None
    if form.validate_on_submit():
        try:
            codes = trace_codes.issue_serial_codes(current_user, batch_id, form.count.data,
                                                   net_weight_grams=form.net_weight_grams.data,
                                                   variant_id=form.variant_id.data)
        except DomainError as error:
            show_error(None, error)
        else:
            flash(_("%(n)d package codes were added.", n=len(codes)), "success")
            size = codes[0].variant_id
    else:
        for field in (form.count, form.net_weight_grams, form.variant_id):
            for message in field.errors:
                flash(f"{field.label.text}: {message}", "error")
    return redirect(url_for("certification_seller.label_sheet", batch_id=batch_id, size=size))
