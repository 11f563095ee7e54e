"""Sign-up, sign-in, sign-out, password reset and the user's own profile."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.accounts import services, throttle
from marketplace.accounts.identity import identity_key
from marketplace.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from marketplace.core.phones import region_of
from marketplace.core.urls import external_url
from marketplace.core.errors import DomainError
from marketplace.core.form_errors import show_error
from marketplace.core.i18n import safe_next

bp = Blueprint("accounts", __name__)

#: Session keys a guest keeps when signing in (the session is otherwise renewed).
CARRIED_SESSION_KEYS = ("cart", "delivery_province")  # the guest cart, and where it is to go (orders.destination)


def _sign_in(user, remember: bool = False) -> None:
    """Start a fresh session for `user`, so an id planted before sign-in is worthless."""
    carried = {key: session[key] for key in CARRIED_SESSION_KEYS if key in session}
    session.clear()
    session.update(carried)
    login_user(user, remember=remember)


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _too_many(template: str, form):
    flash(_("Too many attempts. Please wait a while and try again."), "error")
    return render_template(template, form=form), 429


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("storefront.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        identity, address = identity_key(form.email.data), _client_address()
        if throttle.blocked(throttle.REGISTER, identity, address):
            return _too_many("accounts/register.html", form)
        try:
            services.request_sign_up(
                form.email.data, form.password.data, form.display_name.data,
                confirm_url_for=lambda token: external_url("accounts.confirm_sign_up", token=token),
                sign_in_url=external_url("accounts.login"),
                reset_url=external_url("accounts.forgot_password"),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            throttle.count(throttle.REGISTER, identity, address)
            # The same answer whether or not the address has an account: the mail tells.
            flash(_("Nearly done: we have sent a message to %(email)s. Open the link in it to finish "
                    "signing up.", email=form.email.data), "info")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form), 400 if form.errors else 200


@bp.get("/register/confirm/<token>")
def confirm_sign_up(token: str):
    try:
        user = services.confirm_sign_up(token)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("accounts.register"))
    _sign_in(user)
    flash(_("Welcome to Terroir, %(name)s!", name=user.display_name), "success")
    return redirect(url_for("storefront.home"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        identity, address = identity_key(form.email.data), _client_address()
        if throttle.sign_in_blocked(identity, address):
            flash(_("Too many failed sign-ins. Please wait a few minutes and try again."), "error")
            return render_template("accounts/login.html", form=form), 429
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            show_error(form, error)
            return render_template("accounts/login.html", form=form), 400
        if user is None:
            throttle.record_failed_sign_in(identity, address)
            form.password.errors = [_("The email or password is not correct.")]
            status = 400
        else:
            _sign_in(user, remember=bool(form.remember.data))
            return redirect(safe_next(request.args.get("next"), url_for("storefront.home")))
    elif form.errors:
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out, ending every session of the account (a copied cookie dies with this one)."""
    if current_user.is_authenticated:
        services.end_every_session(current_user)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("storefront.home"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every other session and remember cookie of the account; this one carries on."""
    user = current_user._get_current_object()
    services.end_every_session(user)
    _sign_in(user)
    flash(_("You are signed out on every other device."), "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        identity, address = identity_key(form.email.data), _client_address()
        if throttle.blocked(throttle.PASSWORD_RESET, identity, address):
            return _too_many("accounts/forgot_password.html", form)
        throttle.count(throttle.PASSWORD_RESET, identity, address)
        services.request_password_reset(
            form.email.data,
            lambda token: external_url("accounts.reset_password", token=token),
        )
        flash(_("If an account exists for that address, we have sent a link to reset its password."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if services.user_for_reset_token(token) is None:
        flash(_("This reset link is invalid or has expired. Ask for a new one."), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except DomainError as error:
            show_error(form, error)
        else:
            _sign_in(user)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("storefront.home"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if not form.is_submitted():
        form.phone_region.data = region_of(current_user.phone)
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, form.display_name.data, form.phone.data, form.phone_region.data,
                                     form.language.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form), 400 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            show_error(form, error)
        else:
            _sign_in(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form), 400 if form.errors else 200
