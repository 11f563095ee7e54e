"""Shoppers' pages: file a complaint, follow one's own, review what was delivered, report a review."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.numbers import parse_int
from marketplace.supervision.forms import ComplaintForm, ReasonForm, ReviewForm
from marketplace.supervision.models import ComplaintKind
from marketplace.supervision.services import complaint_queries, complaints, reviews
from marketplace.supervision.services.photos import COMPLAINT_PHOTOS, REVIEW_PHOTOS
from marketplace.supervision.views.common import attempt, send_photo, status_of

bp = Blueprint("supervision_public", __name__)


@bp.route("/complaints/new", methods=["GET", "POST"])
@login_required
def new_complaint():
    """Complain about an order, a listing or a cooperative (`about`, `id` in the query)."""
    kind = complaints.parse_kind(request.args.get("about"))
    if kind == ComplaintKind.COUNTERFEIT:
        return redirect(url_for("certification_public.report_counterfeit", code=(request.args.get("code") or "")[:40]))
    subject_id = parse_int(request.args.get("id"), minimum=1)
    if subject_id is None:
        abort(404)
    complaints.check_subject(current_user, kind, subject_id)
    form = ComplaintForm()
    if form.validate_on_submit():
        complaint = attempt(form, lambda: complaints.file_complaint(
            current_user, kind, subject_id, form.message.data, contact=form.contact.data,
            gi_claim=form.gi_claim.data, photos=form.uploads()))
        if complaint is not None:
            flash(_("Your complaint no. %(n)s is with the market supervisor.", n=complaint.id), "success")
            return redirect(url_for("supervision_public.my_complaint", complaint_id=complaint.id))
    return render_template("supervision/complaint_form.html", form=form, kind=kind.value,
                           subject_id=subject_id), status_of(form)


@bp.get("/complaints")
@login_required
def my_complaints():
    return render_template("supervision/my_complaints.html", complaints=complaint_queries.my_complaints(current_user))


@bp.get("/complaints/<int:complaint_id>")
@login_required
def my_complaint(complaint_id: int):
    complaint, steps = complaint_queries.my_complaint(current_user, complaint_id)
    return render_template("supervision/my_complaint.html", complaint=complaint, steps=steps,
                           labels=complaints.STATUS_LABELS)


@bp.get("/complaints/photos/<name>")
@login_required
def complaint_photo(name: str):
    if not complaint_queries.may_see_photo(current_user, name):
        abort(404)
    return send_photo(COMPLAINT_PHOTOS, name, public=False)


@bp.route("/orders/<int:order_id>/lines/<int:line_id>/review", methods=["GET", "POST"])
@login_required
def review(order_id: int, line_id: int):
    """Review one delivered order line (once); shows the review once written."""
    line = reviews.own_line(current_user, order_id, line_id)
    existing = reviews.review_of_line(line.id)
    form = ReviewForm()
    if existing is None and form.validate_on_submit():
        written = attempt(form, lambda: reviews.write_review(current_user, order_id, line_id, form.rating.data,
                                                             form.body.data, form.uploads()))
        if written is not None:
            flash(_("Thank you: your review is on the product page."), "success")
            return redirect(url_for("storefront.listing", listing_id=written.listing_id))
    elif existing is not None and request.method == "POST":
        form.rating.errors = [_("You have already reviewed this purchase.")]
    return render_template("supervision/review_form.html", form=form, line=line, existing=existing,
                           order_id=order_id, delivered=reviews.is_delivered(line)), status_of(form)


@bp.route("/reviews/<int:review_id>/report", methods=["GET", "POST"])
@login_required
def report_review(review_id: int):
    form = ReasonForm()
    if form.validate_on_submit():
        reported = attempt(form, lambda: reviews.report_review(current_user, review_id, form.reason.data))
        if reported is not None:
            flash(_("Thank you: the market supervisor will look at this review."), "success")
            return redirect(url_for("storefront.listing", listing_id=reported.listing_id))
    return render_template("supervision/review_report.html", form=form, review_id=review_id), status_of(form)


@bp.get("/reviews/photos/<name>")
def review_photo(name: str):
    if not reviews.photo_is_public(name):
        abort(404)
    return send_photo(REVIEW_PHOTOS, name, public=True)
