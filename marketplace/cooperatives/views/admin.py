"""The market supervisor's pages of cooperatives: those waiting to be verified, their status, and
the officials appointed to their counties."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import OfficialAppointment
from marketplace.core.permissions import supervisor_required
from marketplace.cooperatives.forms import AppointOfficialForm, CooperativeStatusForm, ProvinceForm
from marketplace.cooperatives.models import Cooperative, CooperativeStatus
from marketplace.extensions import db
from marketplace.core.errors import DomainError
from marketplace.core.form_errors import show_error

bp = Blueprint("cooperatives_admin", __name__, url_prefix="/admin")


@bp.get("/")
@supervisor_required
def dashboard():
    pending = db.session.scalars(
        select(Cooperative).where(Cooperative.status == CooperativeStatus.PENDING).order_by(Cooperative.created_at)
    ).all()
    return render_template("admin/dashboard.html", pending=pending)


@bp.get("/cooperatives")
@supervisor_required
def cooperative_list():
    rows = db.session.scalars(select(Cooperative).order_by(Cooperative.status, Cooperative.name)).all()
    # Each row's form shows that cooperative's own status, so submitting it changes nothing.
    forms = {c.id: CooperativeStatusForm(formdata=None, status=c.status.value) for c in rows}
    return render_template("admin/cooperatives.html", cooperatives=rows, forms=forms)


@bp.route("/officials", methods=["GET", "POST"])
@supervisor_required
def officials():
    province_form = ProvinceForm(request.args)
    form = AppointOfficialForm(province=province_form.chosen)
    if form.validate_on_submit():
        try:
            accounts.appoint_official(form.email.data, form.county_code.data, appointed_by=current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Official appointed."), "success")
            return redirect(url_for("cooperatives_admin.officials"))
    appointments = db.session.scalars(
        select(OfficialAppointment).order_by(OfficialAppointment.county_code)
    ).all()
    return render_template("admin/officials.html", form=form, province_form=province_form,
                           appointments=appointments), (
        400 if form.errors else 200
    )
