"""The market supervisor's queue of flagged payments: open ones to answer, handled ones to read.

The routes hang on the supervisor's blueprint (`supervision_admin`).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.permissions import supervisor_required
from marketplace.supervision.forms import FlagNoteForm, FlagRefundForm
from marketplace.supervision.services import payment_flags
from marketplace.supervision.views.admin import bp
from marketplace.supervision.views.common import attempt, status_of


@bp.get("/flagged-payments")
@supervisor_required
def flagged_payments(failed_id: int | None = None, clear_form=None, refund_form=None):
    return render_template(
        "supervision/admin_flagged_payments.html", queue=payment_flags.payment_queue(current_user),
        failed_id=failed_id, clear_form=clear_form, refund_form=refund_form,
        blank_clear=FlagNoteForm(formdata=None, prefix="clear"),
        blank_refund=FlagRefundForm(formdata=None, prefix="refund"),
    ), status_of(clear_form, refund_form)


def _answer(order_id: int, form, action, done: str, **failed):
    if form.validate_on_submit() and attempt(form, action) is not None:
        flash(done, "success")
        return redirect(url_for("supervision_admin.flagged_payments", _anchor="handled-payments"))
    return flagged_payments(order_id, **{name: form for name in failed})


@bp.post("/flagged-payments/<int:order_id>/clear")
@supervisor_required
def clear_flag(order_id: int):
    form = FlagNoteForm(prefix="clear")
    return _answer(order_id, form, lambda: payment_flags.clear_flag(current_user, order_id, form.note.data),
                   _("The flag is cleared; your note is in the audit log."), clear_form=True)


@bp.post("/flagged-payments/<int:order_id>/refund")
@supervisor_required
def refund_flagged(order_id: int):
    form = FlagRefundForm(prefix="refund")
    return _answer(order_id, form, lambda: payment_flags.refund_flagged(
        current_user, order_id, form.amount.data, form.note.data),
        _("The refund is on its way through the payment service; the flag is closed."), refund_form=True)
