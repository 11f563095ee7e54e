"""Registering a cooperative, its public page, and inviting members."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from marketplace.cooperatives import services
from marketplace.cooperatives.forms import CooperativeForm, InviteForm, ProvinceForm
from marketplace.cooperatives.models import Cooperative
from marketplace.core.errors import DomainError
from marketplace.core.form_errors import show_error
from marketplace.core.urls import external_url
from marketplace.extensions import db

bp = Blueprint("cooperatives", __name__)


@bp.route("/cooperatives/new", methods=["GET", "POST"])
@login_required
def register():
    province_form = ProvinceForm(request.args)
    form = CooperativeForm(province=province_form.chosen)
    if form.validate_on_submit():
        try:
            cooperative = services.register_cooperative(
                current_user,
                name=form.name.data, credit_code=form.credit_code.data,
                county_code=form.county_code.data, address=form.address.data,
                phone=form.phone.data, description=form.description.data,
                phone_region=form.phone_region.data,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your cooperative is registered. A market supervisor will verify it."), "success")
            return redirect(url_for("storefront.cooperative", cooperative_id=cooperative.id))
    if form.is_submitted() and not province_form.chosen:
        province_form.province.data = (form.county_code.data or "")[:2]
    return render_template("cooperatives/register.html", form=form, province_form=province_form), (
        400 if form.errors else 200)


@bp.route("/cooperatives/<int:cooperative_id>/members", methods=["GET", "POST"])
@login_required
def members(cooperative_id: int):
    cooperative = db.get_or_404(Cooperative, cooperative_id)
    if services.membership_of(current_user, cooperative.id) is None:
        abort(403)
    form = InviteForm()
    owner = services.is_owner(current_user, cooperative)
    if form.validate_on_submit():
        if not owner:
            abort(403)
        try:
            services.invite_member(
                current_user, cooperative, form.email.data,
                lambda token: external_url("cooperatives.accept_invitation", token=token),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Invitation sent."), "success")
            return redirect(url_for("cooperatives.members", cooperative_id=cooperative.id))
    return render_template(
        "cooperatives/members.html", cooperative=cooperative, form=form, is_owner=owner
    ), 400 if form.errors else 200


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@login_required
def accept_invitation(token: str):
    invitation = services.invitation_for_token(token)
    form = FlaskForm()
    if invitation is None:
        flash(_("This invitation is invalid, expired or already used."), "error")
        return redirect(url_for("storefront.home"))
    if form.validate_on_submit():
        try:
            cooperative = services.accept_invitation(current_user, token)
        except DomainError as error:
            flash(str(error), "error")
            return redirect(url_for("storefront.home"))
        flash(_("You are now a member of %(name)s.", name=cooperative.name), "success")
        return redirect(url_for("storefront.cooperative", cooperative_id=cooperative.id))
    return render_template("cooperatives/accept_invitation.html", invitation=invitation, form=form)
