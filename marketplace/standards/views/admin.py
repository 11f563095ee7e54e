"""The market supervisor's page for publishing versions of the GI standards catalogue."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.errors import DomainError
from marketplace.core.permissions import supervisor_required
from marketplace.standards import services as standards_service
from marketplace.standards.forms import PublishStandardForm

bp = Blueprint("standards_admin", __name__, url_prefix="/admin")


@bp.route("/standards", methods=["GET", "POST"])
@supervisor_required
def standards():
    """Publish a new or revised GI standard; every problem is shown before anything changes."""
    form = PublishStandardForm()
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            version, is_new = standards_service.publish_standard(
                upload.read(), upload.filename or "upload.toml", current_user
            )
        except DomainError as error:
            form.file.errors = [str(error)]
            problems = standards_service.problem_lines(error)
            status = 400
        else:
            if is_new:
                flash(_("Published %(label)s.", label=version.label), "success")
            else:
                flash(_("This file is identical to the version in force; nothing changed."), "info")
            return redirect(url_for("standards_admin.standards"))
    elif form.errors:
        status = 400
    return render_template("admin/standards.html", form=form, problems=problems,
                           versions=standards_service.versions()), status
