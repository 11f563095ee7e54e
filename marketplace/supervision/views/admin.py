"""The market supervisor's pages: dashboard, complaints, measures, queues and the audit log."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.models import OfficialAppointment
from marketplace.core.permissions import supervisor_required
from marketplace.catalog.models import Batch, Listing
from marketplace.cooperatives import services as cooperative_services
from marketplace.cooperatives.forms import CooperativeStatusForm
from marketplace.cooperatives.models import Cooperative, CooperativeStatus
from marketplace.core.errors import DomainError
from marketplace.core.numbers import int_arg
from marketplace.extensions import db
from marketplace.supervision.forms import AuditQueryForm, ReasonForm, ReassignForm
from marketplace.supervision.services import (
    oversight,
    people,
    powers,
    reviews,
    seller_record,
)
from marketplace.supervision.views import handling
from marketplace.supervision.views.common import attempt, status_of

bp = Blueprint("supervision_admin", __name__, url_prefix="/admin")


@bp.get("/supervision")
@supervisor_required
def dashboard():
    return render_template("supervision/admin_dashboard.html", board=oversight.dashboard(current_user))


@bp.get("/complaints")
@supervisor_required
def complaints_page():
    return handling.complaint_list(current_user)


@bp.get("/complaints/<int:complaint_id>")
@supervisor_required
def complaint(complaint_id: int):
    return handling.complaint_page(complaint_id)


@bp.post("/complaints/<int:complaint_id>/step")
@supervisor_required
def step(complaint_id: int):
    return handling.step(complaint_id)


@bp.post("/complaints/<int:complaint_id>/note")
@supervisor_required
def note(complaint_id: int):
    return handling.note(complaint_id)


# --- Measures against a cooperative, its listings and batches ----------------------------

@bp.get("/cooperatives/<int:cooperative_id>/measures")
@supervisor_required
def measures(cooperative_id: int, failed: str = "", form: ReasonForm | None = None):
    cooperative = db.get_or_404(Cooperative, cooperative_id)
    listings = db.session.scalars(select(Listing).where(Listing.cooperative_id == cooperative.id)
                                  .order_by(Listing.id)).all()
    batches = db.session.scalars(select(Batch).where(Batch.cooperative_id == cooperative.id)
                                 .order_by(Batch.id)).all()
    return render_template(
        "supervision/admin_measures.html", cooperative=cooperative, listings=listings, batches=batches,
        taken_down={l.id for l in listings if powers.is_taken_down(l.id)},
        frozen={b.id for b in batches if powers.is_frozen(b.id)},
        sanctions=seller_record.public_sanctions(cooperative.id), failed=failed,
        form=form or ReasonForm(formdata=None), blank=ReasonForm(formdata=None), complaint_id=int_arg(request.args, "complaint", 0) or None,
    ), status_of(form)


def _measure(cooperative_id: int, failed: str, action, done: str):
    form = ReasonForm()
    if form.validate_on_submit() and attempt(form, lambda: action(form.reason.data)) is not None:
        flash(done, "success")
        return redirect(url_for("supervision_admin.measures", cooperative_id=cooperative_id))
    return measures(cooperative_id, failed, form)


def _complaint_arg() -> int | None:
    return int_arg(request.args, "complaint", 0) or None


@bp.post("/listings/<int:listing_id>/take-down")
@supervisor_required
def take_down(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    return _measure(listing.cooperative_id, f"listing-{listing_id}",
                    lambda reason: powers.take_down_listing(current_user, listing_id, reason, _complaint_arg()),
                    _("The listing is taken down; its cooperative is told why."))


@bp.post("/batches/<int:batch_id>/freeze")
@supervisor_required
def freeze(batch_id: int):
    batch = db.get_or_404(Batch, batch_id)
    return _measure(batch.cooperative_id, f"batch-{batch_id}",
                    lambda reason: powers.freeze_batch(current_user, batch_id, reason, _complaint_arg()),
                    _("The batch is frozen: badge withdrawn, listings paused, buyers told."))


@bp.post("/cooperatives/<int:cooperative_id>/suspend")
@supervisor_required
def suspend(cooperative_id: int):
    return _measure(cooperative_id, "cooperative",
                    lambda reason: people.suspend_cooperative(current_user, cooperative_id, reason),
                    _("The cooperative is suspended."))


@bp.post("/cooperatives/<int:cooperative_id>/reinstate")
@supervisor_required
def reinstate(cooperative_id: int):
    return _measure(cooperative_id, "cooperative",
                    lambda reason: people.reinstate_cooperative(current_user, cooperative_id, reason),
                    _("The cooperative is reinstated."))


# --- Officials --------------------------------------------------------------------------

@bp.get("/appointments")
@supervisor_required
def appointments(failed_id: int | None = None, remove_form=None, reassign_form=None):
    rows = db.session.scalars(select(OfficialAppointment)
                              .order_by(OfficialAppointment.county_code, OfficialAppointment.id)).all()
    return render_template("supervision/admin_appointments.html", appointments=rows, failed_id=failed_id,
                           remove_form=remove_form, reassign_form=reassign_form,
                           blank_remove=ReasonForm(formdata=None), blank_reassign=ReassignForm(formdata=None)), status_of(
        remove_form, reassign_form)


@bp.post("/appointments/<int:appointment_id>/remove")
@supervisor_required
def remove_official(appointment_id: int):
    form = ReasonForm()
    if form.validate_on_submit() and attempt(form, lambda: people.remove_official(
            current_user, appointment_id, form.reason.data)) is not None:
        flash(_("The appointment ended; the official is told why."), "success")
        return redirect(url_for("supervision_admin.appointments"))
    return appointments(appointment_id, remove_form=form)


@bp.post("/appointments/<int:appointment_id>/reassign")
@supervisor_required
def reassign_official(appointment_id: int):
    form = ReassignForm()
    if form.validate_on_submit() and attempt(form, lambda: people.reassign_official(
            current_user, appointment_id, form.county_code.data, form.reason.data)) is not None:
        flash(_("The official is moved; they are told why."), "success")
        return redirect(url_for("supervision_admin.appointments"))
    return appointments(appointment_id, reassign_form=form)


# --- Queues and the log -----------------------------------------------------------------

@bp.get("/reviews")
@supervisor_required
def reported_reviews(form: ReasonForm | None = None, failed_id: int | None = None):
    return render_template("supervision/admin_reviews.html", reviews=reviews.reported_reviews(),
                           form=form, blank=ReasonForm(formdata=None), failed_id=failed_id), status_of(form)


def _review_decision(review_id: int, action, done: str):
    form = ReasonForm()
    if form.validate_on_submit() and attempt(form, lambda: action(current_user, review_id,
                                                                  form.reason.data)) is not None:
        flash(done, "success")
        return redirect(url_for("supervision_admin.reported_reviews"))
    return reported_reviews(form, review_id)


@bp.post("/reviews/<int:review_id>/hide")
@supervisor_required
def hide_review(review_id: int):
    return _review_decision(review_id, reviews.hide_review, _("The review is hidden, with your reason shown."))


@bp.post("/reviews/<int:review_id>/keep")
@supervisor_required
def keep_review(review_id: int):
    return _review_decision(review_id, reviews.keep_review, _("The review stays shown."))


@bp.get("/audit-log")
@supervisor_required
def audit_log():
    """Every recorded action: decisions, suspensions, appointments, publications, orders…"""
    form = AuditQueryForm(request.args)
    query = oversight.AuditQuery()
    if form.validate():
        query = oversight.AuditQuery(**{name: (getattr(form, name).data or "").strip()
                                        for name in ("action", "subject_type", "subject_id", "county_code",
                                                     "actor_email")},
                                     date_from=form.date_from.data, date_to=form.date_to.data)
    results = attempt(form, lambda: oversight.audit_entries(current_user, query, int_arg(request.args, "page", 1)))
    if results is None:
        results = oversight.audit_entries(current_user, oversight.AuditQuery())
    arguments = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("supervision/admin_audit.html", form=form, results=results,
                           arguments=arguments), status_of(form)


@bp.post("/cooperatives/<int:cooperative_id>/status")
@supervisor_required
def cooperative_status(cooperative_id: int):
    """Change a cooperative's status from the cooperatives list.

    It lives here, not with the list, because a suspension and a reinstatement are the
    supervisor's measures: mailed to the cooperative and kept on its record."""
    cooperative = db.get_or_404(Cooperative, cooperative_id)
    form = CooperativeStatusForm()
    if form.validate_on_submit():
        try:
            changed = _change_status(cooperative, CooperativeStatus(form.status.data), form.reason.data)
        except DomainError as error:
            flash(str(error), "error")
        else:
            if changed:
                flash(_("Status of %(name)s changed.", name=cooperative.name), "success")
            else:
                flash(_("The status is unchanged."), "info")
    else:
        flash(_("Choose a valid status."), "error")
    return redirect(url_for("cooperatives_admin.cooperative_list"))


def _change_status(cooperative: Cooperative, status: CooperativeStatus, reason: str) -> bool:
    """Suspensions and reinstatements are the supervisor's measures (mailed, on the record)."""
    if status == cooperative.status:
        return False
    if status == CooperativeStatus.SUSPENDED:
        people.suspend_cooperative(current_user, cooperative.id, reason)
    elif cooperative.status == CooperativeStatus.SUSPENDED:
        people.reinstate_cooperative(current_user, cooperative.id, reason)
        if status != CooperativeStatus.VERIFIED:
            cooperative_services.set_status(current_user, cooperative, status, reason)
    else:
        cooperative_services.set_status(current_user, cooperative, status, reason)
    return True
