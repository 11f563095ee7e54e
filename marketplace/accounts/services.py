"""Accounts: registration, sign-in checks, passwords and reset tokens.

Services take plain values and raise `DomainError` with a message fit to show, naming the
form field it concerns.
"""
from __future__ import annotations

import secrets
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.accounts.identity import InvalidEmail, canonical_email
from marketplace.accounts.models import OfficialAppointment, User
from marketplace.core.audit import record
from marketplace.core.counties import County
from marketplace.core.database import write_transaction
from marketplace.core.errors import DomainError
from marketplace.core.phones import PhoneError, parse_phone
from marketplace.core.mail import send_mail_after_commit
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db

#: Passwords common enough that length alone does not make them safe.
COMMON_PASSWORDS = frozenset(
    {
        "password", "password1", "password123", "1234567890", "12345678910", "qwertyuiop",
        "iloveyou123", "abc1234567", "a123456789", "1q2w3e4r5t", "qwerty1234", "terroir123",
        "0000000000", "1111111111", "123456789a", "zxcvbnm123", "woaini1314", "admin12345",
    }
)


def normalise_email(raw: str) -> str:
    """Return the canonical form of an address (see identity.py), so one mailbox has one account."""
    try:
        return canonical_email(raw)
    except InvalidEmail as error:
        raise DomainError(_l("Enter a valid email address."), "email") from error


def check_password_strength(password: str, email: str = "") -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        raise DomainError(_("Use at least %(n)d characters.", n=minimum), "password")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        raise DomainError(_l("This password is too easy to guess. Choose another."), "password")
    local_part = email.split("@")[0].lower()
    if local_part and len(local_part) >= 4 and local_part in lowered:
        raise DomainError(_l("Do not use your email address in your password."), "password")


def find_user_by_email(email: str) -> User | None:
    try:
        normalised = normalise_email(email)
    except DomainError:
        return None
    return db.session.scalar(select(User).where(User.email == normalised))


def _clean_name(display_name: str | None) -> str:
    name = (display_name or "").strip()
    if not name:
        raise DomainError(_l("Enter your name."), "display_name")
    return name[:80]


def request_sign_up(email: str, password: str, display_name: str, *, confirm_url_for, sign_in_url: str,
                    reset_url: str) -> None:
    """Start a sign-up; the page answers the same whether or not the address has an account.

    A new address gets a link that creates the account when opened. The owner of an
    address that already has an account is told by mail that someone tried to sign up with
    it. A sign-up still waiting for its link is replaced (name, password, link), so whoever
    typed someone else's address first cannot keep a password on that person's account.
    """
    normalised = normalise_email(email)
    check_password_strength(password, normalised)
    name = _clean_name(display_name)
    try:
        with write_transaction():
            user = db.session.scalar(select(User).where(User.email == normalised))
            if user is not None and user.sign_up_pending_since is None:
                check_password_hash(_dummy_hash(), password)  # the same work as a new sign-up
                send_mail_after_commit(user.email, _("Someone tried to sign up with your address"),
                                       "sign_up_attempt", name=user.display_name, sign_in_url=sign_in_url,
                                       reset_url=reset_url)
                return
            if user is None:
                user = User(email=normalised)
                db.session.add(user)
            user.display_name = name
            user.language = _browser_language()
            user.set_password(password)
            user.session_token = secrets.token_hex(16)
            user.sign_up_pending_since = utcnow()
            db.session.flush()
            token = _sign_up_serializer().dumps({"user": user.id, "session": user.session_token})
            send_mail_after_commit(normalised, _("Confirm your Terroir account"), "sign_up_confirm", name=name,
                                   url=confirm_url_for(token),
                                   hours=current_app.config["SIGN_UP_CONFIRM_MAX_AGE"] // 3600)
    except IntegrityError:  # the same address signed up twice at once: the other one stands
        return


def _sign_up_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sign-up-confirm")


def confirm_sign_up(token: str) -> User:
    """Finish a sign-up from its mailed link (once: the link dies with the session token)."""
    try:
        payload = _sign_up_serializer().loads(token, max_age=current_app.config["SIGN_UP_CONFIRM_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        payload = None
    with write_transaction():
        user = db.session.get(User, payload.get("user")) if isinstance(payload, dict) else None
        if (user is None or user.sign_up_pending_since is None
                or not secrets.compare_digest(user.session_token, str(payload.get("session")))):
            raise DomainError(_l("This sign-up link is invalid, used or expired. Sign up again or sign in."))
        user.sign_up_pending_since = None
        user.session_token = secrets.token_hex(16)
        return user


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(8))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None.

    A password hash is computed even for an unknown address, so timing does not reveal
    which addresses have accounts. A sign-up waiting for its link is refused with a
    message only to someone who knows its password.
    """
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not user.check_password(password or "") or not user.is_active:
        return None
    if user.sign_up_pending_since is not None:
        raise DomainError(_l("Open the link we mailed to this address to finish signing up."), "email")
    return user


def end_every_session(user: User) -> None:
    """Sign the user out everywhere: every session and remember cookie carries the old token."""
    with write_transaction():
        user = db.session.get(User, user.id)
        user.session_token = secrets.token_hex(16)


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current or ""):
        raise DomainError(_l("Your current password is not correct."), "current_password")
    _set_new_password(user, new, field="new_password")


def _set_new_password(user: User, new: str, field: str = "password") -> None:
    try:
        check_password_strength(new, user.email)
    except DomainError as error:
        raise DomainError(str(error), field) from error
    with write_transaction():
        user.set_password(new)
        # A new token ends every other session and every reset link issued before.
        user.session_token = secrets.token_hex(16)
        user.sign_up_pending_since = None  # a reset link proves the mailbox as well


def _browser_language() -> str:
    """The language the sign-up page was read in (the browser's, or the one chosen): mail follows it."""
    from marketplace.core.i18n import current_language

    language = current_language()
    return language if language in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def update_profile(user: User, display_name: str, phone: str | None, phone_region: str | None = None,
                   language: str | None = None) -> None:
    """Save the name, the optional mobile (mainland, Hong Kong, Macao or Taiwan, in E.164) and the mail language."""
    name = (display_name or "").strip()
    if not name:
        raise DomainError(_l("Enter your name."), "display_name")
    if language is not None and language not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("Choose the language of your mail."), "language")
    mobile = None
    if (phone or "").strip():
        try:
            mobile = parse_phone(phone, phone_region)
        except PhoneError as error:
            raise DomainError(error.message, "phone") from None
    with write_transaction():
        if language is not None:
            user.language = language
        user.display_name = name[:80]
        user.phone = mobile


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def request_password_reset(email: str, reset_url_for) -> None:
    """Mail a reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None:
        return
    token = _reset_serializer().dumps({"user": user.id, "session": user.session_token})
    with write_transaction():  # the mail is stored in the outbox when this commits
        send_mail_after_commit(
            user.email,
            _("Reset your Terroir password"),
            "password_reset",
            name=user.display_name,
            url=reset_url_for(token),
            hours=current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600,
        )


def user_for_reset_token(token: str) -> User | None:
    """Return the user a reset token was issued to, if it is genuine, fresh and unused."""
    try:
        payload = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(payload, dict):
        return None
    user = db.session.get(User, payload.get("user"))
    if user is None or user.session_token != payload.get("session"):
        return None
    return user


def reset_password(token: str, new: str) -> User:
    user = user_for_reset_token(token)
    if user is None:
        raise DomainError(_l("This reset link is invalid or has expired. Ask for a new one."))
    _set_new_password(user, new)
    return user


def load_user_from_session(identity: str) -> User | None:
    """Flask-Login's loader: the session holds "<id>:<session token>"."""
    user_id, _sep, token = (identity or "").partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def make_supervisor(email: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        raise DomainError(_l("No account has this email."), "email")
    with write_transaction():
        user.is_supervisor = True
    return user


def appoint_official(email: str, county_code: str, *, appointed_by=None) -> OfficialAppointment:
    """Appoint a user as county official for one county (idempotent)."""
    user = find_user_by_email(email)
    if user is None:
        raise DomainError(_l("No account has this email."), "email")
    county = db.session.get(County, county_code)
    if county is None:
        raise DomainError(_l("Unknown county code."), "county_code")
    if county.is_retired:
        raise DomainError(_l("County code %(code)s was retired in %(year)s; choose %(successor)s instead.",
                              code=county.code, year=county.retired_year,
                              successor=county.successor_codes), "county_code")
    existing = db.session.scalar(
        select(OfficialAppointment).where(
            OfficialAppointment.user_id == user.id, OfficialAppointment.county_code == county_code
        )
    )
    if existing:
        return existing
    with write_transaction():
        appointment = OfficialAppointment(user=user, county_code=county_code)
        db.session.add(appointment)
        record("official.appointed", "user", user.id, actor=appointed_by, county_code=county_code)
    return appointment
