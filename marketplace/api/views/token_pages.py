"""The pages where members make and revoke their cooperative's API tokens (and supervisors
their export tokens). A new token is shown once, on the answer to the form that made it."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.permissions import seller_required, supervisor_required
from marketplace.api import tokens
from marketplace.api.forms import ExportTokenForm, TokenForm
from marketplace.core.form_errors import show_error
from marketplace.seller.views.common import working_cooperative

bp = Blueprint("api_tokens", __name__)


def _no_store(response_tuple):
    body, status = response_tuple
    return body, status, {"Cache-Control": "no-store"}


def _made(form_class, make):
    """Read the form and make a token with `make(form)`: (form, issued token or None, status)."""
    form = form_class()
    if not form.validate_on_submit():
        return form, None, 400 if form.errors else 200
    try:
        issued = make(form)
    except tokens.TokenError as error:
        show_error(form, error)
        return form, None, 400
    return form_class(formdata=None), issued, 200


def _revoke(token_id: int, cooperative_id: int | None, back: str):
    try:
        tokens.revoke_token(current_user, token_id, cooperative_id=cooperative_id)
    except tokens.TokenError as error:
        flash(str(error), "error")
    else:
        flash(_("The token is revoked: calls with it are refused from now on."), "success")
    return redirect(url_for(back))


@bp.route("/seller/api-tokens", methods=["GET", "POST"])
@seller_required
def seller_tokens():
    """A cooperative's API tokens: make one (shown once), see when each was last used."""
    cooperative = working_cooperative()
    form, issued, status = _made(TokenForm, lambda form: tokens.create_cooperative_token(
        current_user, cooperative.id, form.name.data, form.scope.data))
    return _no_store((render_template("api/seller_tokens.html", form=form, issued=issued, cooperative=cooperative,
                                      tokens=tokens.tokens_of_cooperative(cooperative.id),
                                      revoke_endpoint="api_tokens.revoke_seller_token", seller_page=True), status))


@bp.post("/seller/api-tokens/<int:token_id>/revoke")
@seller_required
def revoke_seller_token(token_id: int):
    return _revoke(token_id, working_cooperative().id, ".seller_tokens")


@bp.route("/admin/api-tokens", methods=["GET", "POST"])
@supervisor_required
def export_tokens():
    """A supervisor's export tokens for the regulator."""
    form, issued, status = _made(ExportTokenForm,
                                 lambda form: tokens.create_export_token(current_user, form.name.data))
    return _no_store((render_template("api/admin_tokens.html", form=form, issued=issued, cooperative=None,
                                      tokens=tokens.export_tokens_of(current_user),
                                      revoke_endpoint="api_tokens.revoke_export_token", seller_page=False), status))


@bp.post("/admin/api-tokens/<int:token_id>/revoke")
@supervisor_required
def revoke_export_token(token_id: int):
    return _revoke(token_id, None, ".export_tokens")
