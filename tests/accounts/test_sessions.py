"""Sign-out ends sessions on the server: a copied cookie is worth nothing afterwards.

Every session and remember cookie carries the user's session token; signing out, changing
or resetting the password and "sign out everywhere" replace it.
"""
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from tests.support.factories import PASSWORD


def _signed_in(app, user, remember=False):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "remember": "y" if remember else ""})
    assert response.status_code == 302
    return client


def _with_cookie(app, name, value):
    """A fresh browser holding only one copied cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief


def _copied(client, name):
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _is_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_copied_cookies_sign_in_while_the_session_lasts(app, make_user):
    victim = _signed_in(app, make_user(), remember=True)
    assert _is_signed_in(_with_cookie(app, "session", _copied(victim, "session")))
    assert _is_signed_in(_with_cookie(app, "remember_token", _copied(victim, "remember_token")))


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_copied_cookie_is_worthless_after_sign_out(app, make_user, cookie):
    victim = _signed_in(app, make_user(), remember=True)
    stolen = _copied(victim, cookie)
    assert victim.post("/logout").status_code == 302
    assert not _is_signed_in(_with_cookie(app, cookie, stolen))


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_copied_cookie_is_worthless_after_a_password_change(app, make_user, cookie):
    victim = _signed_in(app, make_user(), remember=True)
    stolen = _copied(victim, cookie)
    response = victim.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "fresh-long-secret", "confirm": "fresh-long-secret"})
    assert response.status_code == 302
    assert _is_signed_in(victim)
    assert not _is_signed_in(_with_cookie(app, cookie, stolen))


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_copied_cookie_is_worthless_after_a_password_reset(app, make_user, outbox, cookie):
    user = make_user()
    victim = _signed_in(app, user, remember=True)
    stolen = _copied(victim, cookie)
    app.test_client().post("/password/forgot", data={"email": user.email})
    link = re.search(r"http://\S+/password/reset/\S+", outbox()[-1].get_content()).group(0)
    response = app.test_client().post(urlsplit(link).path,
                                      data={"password": "brand-new-secret", "confirm": "brand-new-secret"})
    assert response.status_code == 302
    assert not _is_signed_in(_with_cookie(app, cookie, stolen))


def test_sign_out_everywhere_ends_other_sessions_and_keeps_this_one(app, make_user):
    user = make_user()
    laptop = _signed_in(app, user, remember=True)
    phone = _signed_in(app, user)
    stolen_remember = _copied(laptop, "remember_token")
    assert "/account/sign-out-everywhere" in phone.get("/account").get_data(as_text=True)
    response = phone.post("/account/sign-out-everywhere", follow_redirects=True)
    assert response.status_code == 200
    assert "You are signed out on every other device." in response.get_data(as_text=True)
    assert _is_signed_in(phone)
    assert not _is_signed_in(laptop)
    assert not _is_signed_in(_with_cookie(app, "remember_token", stolen_remember))


def test_sign_out_everywhere_needs_a_csrf_token(app, make_user):
    user = make_user()
    phone = _signed_in(app, user)
    laptop = _signed_in(app, user)
    app.config["WTF_CSRF_ENABLED"] = True
    assert phone.post("/account/sign-out-everywhere").status_code == 400
    assert _is_signed_in(laptop)


def test_remember_cookie_is_lax_and_lasts_thirty_days_at_most(app, make_user):
    client = _signed_in(app, make_user(), remember=True)
    cookie = client.get_cookie("remember_token")
    assert cookie.same_site == "Lax" and cookie.http_only
    assert cookie.max_age is None or cookie.max_age <= 30 * 24 * 3600
    assert cookie.expires is not None
    assert cookie.expires - cookie.expires.now(cookie.expires.tzinfo) <= timedelta(days=30, minutes=1)


def test_remember_cookie_is_secure_when_the_session_cookie_is(app_config, make_user):
    from marketplace import create_app

    app = create_app({**app_config, "SESSION_COOKIE_SECURE": True})
    with app.app_context():
        from marketplace.extensions import db

        db.session.remove()
        from marketplace.accounts.models import User

        user = User(email="secure@example.com", display_name="S")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        response = app.test_client().post("https://localhost/login", data={
            "email": "secure@example.com", "password": PASSWORD, "remember": "y"})
        remember = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")]
        db.session.remove()
        db.engine.dispose()
        assert remember and "Secure" in remember[0] and "SameSite=Lax" in remember[0]
