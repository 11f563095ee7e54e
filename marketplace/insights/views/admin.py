"""The supervisor publishes a month from the web (the same service as `flask insights publish`)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.permissions import supervisor_required
from marketplace.insights import snapshots
from marketplace.core.errors import DomainError
from marketplace.insights.forms import PublishMonthForm
from marketplace.insights.months import Month

bp = Blueprint("insights_admin", __name__, url_prefix="/admin/insights")


@bp.post("/publish")
@supervisor_required
def publish():
    form = PublishMonthForm()
    if not form.validate_on_submit():
        return render_template("insights/publish_refused.html", form=form), 400
    month = Month.parse(form.month.data)
    try:
        count = snapshots.publish_month(month, actor=current_user)
    except DomainError as error:
        form.month.errors = [str(error)]
        return render_template("insights/publish_refused.html", form=form), error.status
    flash(_("%(month)s published: %(count)d figures frozen.", month=str(month), count=count), "success")
    return redirect(url_for("insights.index", month=str(month)))
