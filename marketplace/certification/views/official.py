"""The county officials' pages: the review queue, decisions, documents and the audit log.

Every decision URL checks, before anything else, that the user is an official of the
file's county and not a member of its cooperative (403 otherwise); the service checks it
again inside its transaction.
"""
from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.permissions import official_required
from marketplace.certification.services import access, audit_log, authorizations, certificates, documents, overview, queue, verification
from marketplace.certification.services import review as batch_review
from marketplace.certification.forms import (
    ApproveForm,
    AuditFilterForm,
    OptionalReasonForm,
    ReasonForm,
    RequestInformationForm,
    certify_form_class,
)
from marketplace.certification.models import (
    AuthorizationDocument,
    BatchCertificate,
    GIAuthorization,
)
from marketplace.certification.views import template_helpers
from marketplace.core.errors import DomainError
from marketplace.core.form_errors import show_error
from marketplace.core.i18n import current_language
from marketplace.core.numbers import int_arg
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db

bp = Blueprint("certification_official", __name__, url_prefix="/official")
bp.context_processor(template_helpers)


def reviewer_required(view):
    """Officials and market supervisors may read files and the log."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not (current_user.is_official or current_user.is_supervisor):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _reviewable(model, object_id: int):
    """Load a file the user may look at (404 if none, 403 outside their counties)."""
    subject = db.session.get(model, object_id)
    if subject is None:
        abort(404)
    if not access.may_review(current_user, subject.county_code):
        abort(403)
    return subject


def _decidable(model, object_id: int):
    """Load a file the user may decide on (404 if none, 403 otherwise)."""
    subject = db.session.get(model, object_id)
    if subject is None:
        abort(404)
    if not access.may_decide(current_user, subject.county_code, subject.cooperative_id):
        abort(403)
    return subject


@bp.get("/")
@official_required
def queue_page():
    """The review queue of the official's counties, oldest first, overdue items marked."""
    items = queue.official_queue(current_user)
    return render_template("certification/official_queue.html", items=items,
                           review_days=current_app.config["REVIEW_WORKING_DAYS"])


# --- GI mark authorizations -------------------------------------------------------------

def _authorization_forms(**overrides):
    forms = {
        "approve": ApproveForm(prefix="approve", data={"years": current_app.config["GI_AUTHORIZATION_YEARS"]}),
        "reject": ReasonForm(prefix="reject"),
        "request": RequestInformationForm(prefix="request"),
        "suspend": ReasonForm(prefix="suspend"),
        "reinstate": OptionalReasonForm(prefix="reinstate"),
        "revoke": ReasonForm(prefix="revoke"),
    }
    forms.update(overrides)
    return forms


def _render_authorization(authorization: GIAuthorization, status: int = 200, **forms):
    review = overview.review_authorization(current_user, authorization)
    allowed = {s.value for s in authorization.TRANSITIONS[authorization.status]} if review.can_decide else set()
    return render_template("certification/official_authorization.html", review=review,
                           authorization=authorization, allowed=allowed, now=utcnow(),
                           forms=_authorization_forms(**forms)), status


@bp.get("/authorizations")
@reviewer_required
def authorizations_page():
    status = request.args.get("status", "")
    rows = overview.authorizations_for_official(current_user, status)
    return render_template("certification/official_authorizations.html", rows=rows, status=status,
                           now=utcnow())


@bp.get("/authorizations/<int:authorization_id>")
@reviewer_required
def authorization(authorization_id: int):
    return _render_authorization(_reviewable(GIAuthorization, authorization_id))


def _decide(model, object_id: int, key: str, form, decide, done_message: str, *, render, endpoint: str,
            id_arg: str):
    """Apply one decision from its form, then show the case again (or the form's errors)."""
    subject = _decidable(model, object_id)
    if form.validate_on_submit():
        try:
            decide(form)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(done_message, "success")
            return redirect(url_for(endpoint, **{id_arg: object_id}))
    return render(subject, 400, **{key: form})


def _decide_authorization(authorization_id: int, key: str, form, decide, done_message: str):
    return _decide(GIAuthorization, authorization_id, key, form, decide, done_message,
                   render=_render_authorization, endpoint="certification_official.authorization",
                   id_arg="authorization_id")


@bp.post("/authorizations/<int:authorization_id>/approve")
@official_required
def approve_authorization(authorization_id: int):
    return _decide_authorization(
        authorization_id, "approve", ApproveForm(prefix="approve"),
        lambda f: authorizations.approve_authorization(
            current_user, authorization_id, number=f.number.data, valid_from=f.valid_from.data,
            years=f.years.data),
        _("The authorization is approved."))


@bp.post("/authorizations/<int:authorization_id>/reject")
@official_required
def reject_authorization(authorization_id: int):
    return _decide_authorization(
        authorization_id, "reject", ReasonForm(prefix="reject"),
        lambda f: authorizations.reject_authorization(current_user, authorization_id, f.reason.data),
        _("The application is rejected."))


@bp.post("/authorizations/<int:authorization_id>/request-information")
@official_required
def request_information(authorization_id: int):
    return _decide_authorization(
        authorization_id, "request", RequestInformationForm(prefix="request"),
        lambda f: authorizations.request_more_information(current_user, authorization_id, f.request.data),
        _("The request was sent to the cooperative."))


@bp.post("/authorizations/<int:authorization_id>/suspend")
@official_required
def suspend_authorization(authorization_id: int):
    return _decide_authorization(
        authorization_id, "suspend", ReasonForm(prefix="suspend"),
        lambda f: authorizations.suspend_authorization(current_user, authorization_id, f.reason.data),
        _("The authorization is suspended."))


@bp.post("/authorizations/<int:authorization_id>/reinstate")
@official_required
def reinstate_authorization(authorization_id: int):
    return _decide_authorization(
        authorization_id, "reinstate", OptionalReasonForm(prefix="reinstate"),
        lambda f: authorizations.reinstate_authorization(current_user, authorization_id, f.reason.data),
        _("The suspension is lifted."))


@bp.post("/authorizations/<int:authorization_id>/revoke")
@official_required
def revoke_authorization(authorization_id: int):
    return _decide_authorization(
        authorization_id, "revoke", ReasonForm(prefix="revoke"),
        lambda f: authorizations.revoke_authorization(current_user, authorization_id, f.reason.data),
        _("The authorization is revoked."))


@bp.get("/documents/<int:document_id>")
@reviewer_required
def document(document_id: int):
    """Serve an application document to officials of its county and supervisors."""
    record = db.session.get(AuthorizationDocument, document_id)
    if record is None:
        abort(404)
    if not access.may_review(current_user, record.authorization.county_code):
        abort(403)
    return documents.send_document(record)


# --- Batch certificates -----------------------------------------------------------------

def _certify_form(certificate: BatchCertificate):
    """The certify form of this batch, and the findings it asks the official to answer."""
    items = batch_review.to_check(certificate.batch.validation)
    return certify_form_class(items)(prefix="certify"), items


def _certificate_forms(certificate: BatchCertificate, **overrides):
    forms = {
        "certify": _certify_form(certificate)[0],
        "reject": ReasonForm(prefix="reject"),
        "suspend": ReasonForm(prefix="suspend"),
        "reinstate": OptionalReasonForm(prefix="reinstate"),
        "revoke": ReasonForm(prefix="revoke"),
        "recall": ReasonForm(prefix="recall"),
    }
    forms.update(overrides)
    return forms


def _render_certificate(certificate: BatchCertificate, status: int = 200, **forms):
    review = overview.review_certificate(current_user, certificate)
    allowed = {s.value for s in certificate.TRANSITIONS[certificate.status]} if review.can_decide else set()
    lab_report_url = None
    if certificate.batch.lab_report_file:
        lab_report_url = url_for("seller.lab_report", batch_id=certificate.batch_id)
    report = certificate.batch.validation if certificate.status.value == "submitted" else certificate.report
    can_recall = (certificate.recalled_at is None and certificate.number is not None
                  and access.may_recall(current_user, certificate.cooperative.county_code,
                                        certificate.cooperative_id))
    return render_template("certification/official_certificate.html", review=review,
                           certificate=certificate, batch=certificate.batch, allowed=allowed,
                           can_recall=can_recall,
                           findings=verification.findings_of(report, current_language()), lab_report_url=lab_report_url, now=utcnow(),
                           to_check=batch_review.to_check(certificate.batch.validation),
                           forms=_certificate_forms(certificate, **forms)), status


@bp.get("/certificates")
@reviewer_required
def certificates_page():
    status = request.args.get("status", "")
    rows = overview.certificates_for_official(current_user, status)
    return render_template("certification/official_certificates.html", rows=rows, status=status,
                           now=utcnow())


@bp.get("/certificates/<int:certificate_id>")
@reviewer_required
def certificate(certificate_id: int):
    return _render_certificate(_reviewable(BatchCertificate, certificate_id))


def _decide_certificate(certificate_id: int, key: str, form, decide, done_message: str):
    return _decide(BatchCertificate, certificate_id, key, form, decide, done_message,
                   render=_render_certificate, endpoint="certification_official.certificate",
                   id_arg="certificate_id")


@bp.post("/certificates/<int:certificate_id>/certify")
@official_required
def certify(certificate_id: int):
    form, items = _certify_form(_reviewable(BatchCertificate, certificate_id))
    return _decide_certificate(
        certificate_id, "certify", form,
        lambda f: certificates.certify_batch(
            current_user, certificate_id, lab_report_read=bool(f.lab_report_read.data),
            answers={item.key: batch_review.Answer(f[item.answer_field].data, f[item.note_field].data)
                     for item in items}),
        _("The batch is certified; its trace code is issued."))


@bp.post("/certificates/<int:certificate_id>/reject")
@official_required
def reject_certificate(certificate_id: int):
    return _decide_certificate(
        certificate_id, "reject", ReasonForm(prefix="reject"),
        lambda f: certificates.reject_batch(current_user, certificate_id, f.reason.data),
        _("The batch is rejected."))


@bp.post("/certificates/<int:certificate_id>/suspend")
@official_required
def suspend_certificate(certificate_id: int):
    return _decide_certificate(
        certificate_id, "suspend", ReasonForm(prefix="suspend"),
        lambda f: certificates.suspend_certificate(current_user, certificate_id, f.reason.data),
        _("The certificate is suspended."))


@bp.post("/certificates/<int:certificate_id>/reinstate")
@official_required
def reinstate_certificate(certificate_id: int):
    return _decide_certificate(
        certificate_id, "reinstate", OptionalReasonForm(prefix="reinstate"),
        lambda f: certificates.reinstate_certificate(current_user, certificate_id, f.reason.data),
        _("The suspension is lifted."))


@bp.post("/certificates/<int:certificate_id>/revoke")
@official_required
def revoke_certificate(certificate_id: int):
    return _decide_certificate(
        certificate_id, "revoke", ReasonForm(prefix="revoke"),
        lambda f: certificates.revoke_certificate(current_user, certificate_id, f.reason.data),
        _("The certificate is revoked."))


@bp.post("/certificates/<int:certificate_id>/recall")
@reviewer_required
def recall_certificate(certificate_id: int):
    """Recall a batch's goods with a public notice (supervisors, or the cooperative's county)."""
    certificate = db.session.get(BatchCertificate, certificate_id)
    if certificate is None:
        abort(404)
    if not access.may_recall(current_user, certificate.cooperative.county_code, certificate.cooperative_id):
        abort(403)
    form = ReasonForm(prefix="recall")
    if form.validate_on_submit():
        try:
            certificates.recall_batch(current_user, certificate_id, form.reason.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The batch is recalled; its verify page shows the notice."), "success")
            return redirect(url_for("certification_official.certificate", certificate_id=certificate_id))
    return _render_certificate(certificate, 400, recall=form)


# --- Audit log --------------------------------------------------------------------------

@bp.get("/audit")
@reviewer_required
def audit():
    """The log of decisions: the official's counties, or everything for supervisors."""
    form = AuditFilterForm(request.args)
    filters = audit_log.AuditFilters()
    if form.validate():
        filters = audit_log.AuditFilters(
            action=form.action.data or "", county_code=(form.county_code.data or "").strip(),
            date_from=form.date_from.data, date_to=form.date_to.data,
            subject_type=form.subject_type.data or "", subject_id=(form.subject_id.data or "").strip())
    page_number = int_arg(request.args, "page", 1)
    try:
        page = audit_log.audit_page(current_user, filters, page_number)
    except DomainError as error:
        show_error(form, error)
        page = audit_log.audit_page(current_user, audit_log.AuditFilters(), page_number)
    arguments = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("certification/audit_log.html", form=form, page=page, arguments=arguments), (
        400 if form.errors else 200)
