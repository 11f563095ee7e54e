"""The pages where members make and revoke their cooperative's API tokens (and supervisors
their export tokens). A new token is shown once, on the answer to the form that made it."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.permissions import seller_required, supervisor_required
from marketplace.api import tokens
from marketplace.api.forms import ExportTokenForm, TokenForm
from marketplace.form_errors import show_error
from marketplace.seller.common import working_cooperative

bp = Blueprint("api_tokens", __name__)


def _no_store(response_tuple):
    body, status = response_tuple
    return body, status, {"Cache-Control": "no-store"}


@bp.route("/seller/api-tokens", methods=["GET", "POST"])
@seller_required
def seller_tokens():
    """A cooperative's API tokens: make one (shown once), see when each was last used."""
    cooperative = working_cooperative()
    form, issued, status = TokenForm(), None, 200
    if form.validate_on_submit():
        try:
            issued = tokens.create_cooperative_token(current_user, cooperative.id, form.name.data, form.scope.data)
        except tokens.TokenError as error:
            show_error(form, error)
            status = 400
        else:
            form = TokenForm(formdata=None)
    elif form.errors:
        status = 400
    return _no_store((render_template("api/seller_tokens.html", form=form, issued=issued, cooperative=cooperative,
                                      tokens=tokens.tokens_of_cooperative(cooperative.id),
                                      revoke_endpoint="api_tokens.revoke_seller_token", seller_page=True), status))


@bp.post("/seller/api-tokens/<int:token_id>/revoke")
@seller_required
def revoke_seller_token(token_id: int):
    cooperative = working_cooperative()
    try:
        tokens.revoke_token(current_user, token_id, cooperative_id=cooperative.id)
    except tokens.TokenError as error:
        flash(str(error), "error")
    else:
        flash(_("The token is revoked: calls with it are refused from now on."), "success")
    return redirect(url_for(".seller_tokens"))


@bp.route("/admin/api-tokens", methods=["GET", "POST"])
@supervisor_required
def export_tokens():
    """A supervisor's export tokens for the regulator."""
    form, issued, status = ExportTokenForm(), None, 200
    if form.validate_on_submit():
        try:
            issued = tokens.create_export_token(current_user, form.name.data)
        except tokens.TokenError as error:
            show_error(form, error)
            status = 400
        else:
            form = ExportTokenForm(formdata=None)
    elif form.errors:
        status = 400
    return _no_store((render_template("api/admin_tokens.html", form=form, issued=issued, cooperative=None,
                                      tokens=tokens.export_tokens_of(current_user),
                                      revoke_endpoint="api_tokens.revoke_export_token", seller_page=False), status))


@bp.post("/admin/api-tokens/<int:token_id>/revoke")
@supervisor_required
def revoke_export_token(token_id: int):
    try:
        tokens.revoke_token(current_user, token_id, cooperative_id=None)
    except tokens.TokenError as error:
        flash(str(error), "error")
    else:
        flash(_("The token is revoked: calls with it are refused from now on."), "success")
    return redirect(url_for(".export_tokens"))
