"""The cooperative's pages: complaints about it (without who complained) and its reviews."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.permissions import seller_required
from marketplace.supervision.forms import ReplyForm
from marketplace.supervision.services import complaint_queries, complaints, reviews
from marketplace.supervision.views.common import attempt, status_of

bp = Blueprint("supervision_seller", __name__, url_prefix="/seller")


@bp.get("/complaints")
@seller_required
def complaints_page():
    return render_template("supervision/seller_complaints.html",
                           complaints=complaint_queries.seller_complaints(current_user),
                           labels={k.value: v for k, v in complaints.STATUS_LABELS.items()})


@bp.get("/complaints/<int:complaint_id>")
@seller_required
def complaint(complaint_id: int):
    return render_template("supervision/seller_complaint.html",
                           complaint=complaint_queries.seller_complaint(current_user, complaint_id),
                           labels={k.value: v for k, v in complaints.STATUS_LABELS.items()})


@bp.get("/reviews")
@seller_required
def reviews_page(form: ReplyForm | None = None, failed_id: int | None = None):
    return render_template("supervision/seller_reviews.html", reviews=reviews.seller_reviews(current_user),
                           form=form, blank=ReplyForm(formdata=None), failed_id=failed_id), status_of(form)


@bp.post("/reviews/<int:review_id>/reply")
@seller_required
def reply(review_id: int):
    form = ReplyForm()
    if form.validate_on_submit() and attempt(form, lambda: reviews.reply_to_review(
            current_user, review_id, form.reply.data)) is not None:
        flash(_("Your reply is published."), "success")
        return redirect(url_for("supervision_seller.reviews_page"))
    return reviews_page(form, review_id)
