"""The cooperative's settings page: its payee account for bank transfers."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import Length

from marketplace.cooperatives import payee_services
from marketplace.cooperatives.services import DomainError
from marketplace.core.forms import BaseForm
from marketplace.core.form_errors import show_error

bp = Blueprint("cooperatives_seller", __name__)


class PayeeAccountForm(BaseForm):
    """Checked in full by the service (payee_services.clean_payee); lengths here keep posts small."""

    bank_name = StringField(_l("Bank and branch"), validators=[Length(max=200)])
    account_name = StringField(_l("Account name"), validators=[Length(max=200)])
    account_number = StringField(_l("Account number"), validators=[Length(max=60)])


def _member_cooperative(cooperative_id: int):
    """The cooperative, or 404 (raised by the service) unless the user is one of its members."""
    return payee_services.cooperative_for_member(current_user, cooperative_id)


@bp.route("/cooperatives/<int:cooperative_id>/settings", methods=["GET", "POST"])
@login_required
def settings(cooperative_id: int):
    """Show and edit the payee account buyers paying by bank transfer send money to."""
    cooperative = _member_cooperative(cooperative_id)
    account = payee_services.payee_account_of(cooperative_id)
    form = PayeeAccountForm(obj=account)
    if form.validate_on_submit():
        try:
            payee_services.save_payee_account(current_user, cooperative_id, bank_name=form.bank_name.data,
                                              account_name=form.account_name.data,
                                              account_number=form.account_number.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The payee account is saved. Buyers paying by bank transfer now see it."), "success")
            return redirect(url_for(".settings", cooperative_id=cooperative_id))
    return render_template("cooperatives/settings.html", cooperative=cooperative, account=account,
                           form=form), 400 if form.errors else 200
