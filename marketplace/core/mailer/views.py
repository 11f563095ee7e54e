"""The supervisor's view of the mail outbox: what could not be delivered, and sending it again."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from marketplace.core.permissions import supervisor_required
from marketplace.core.mailer.forms import MailRetryForm
from marketplace.core.mailer import background, delivery

bp = Blueprint("mail_admin", __name__, url_prefix="/admin/mail")


@bp.get("/")
@supervisor_required
def outbox():
    return render_template("admin/mail.html", mails=delivery.mail_needing_attention(),
                           counts=delivery.counts_by_status(), form=MailRetryForm())


@bp.post("/<int:mail_id>/retry")
@supervisor_required
def retry(mail_id: int):
    if not MailRetryForm().validate_on_submit():
        flash(_("The form expired or was not sent from this site. Please try again."), "error")
    elif delivery.retry_mail(mail_id):
        background.deliver_soon(current_app._get_current_object(), [mail_id])
        flash(_("The mail will be sent again in a moment."), "success")
    else:
        flash(_("This mail is already sent or being sent."), "error")
    return redirect(url_for("mail_admin.outbox"))
