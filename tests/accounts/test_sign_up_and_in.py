"""Sign-up, sign-in, sign-out, password reset and profile, through the real pages."""
import re
from urllib.parse import urlsplit

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.support.factories import PASSWORD


def register(client, email="Li.Na@Example.COM", password="a-long-passphrase", confirm=None):
    return client.post("/register", data={
        "display_name": "李娜", "email": email, "password": password,
        "confirm": confirm if confirm is not None else password,
    })


def test_sign_up_normalises_email_and_hashes_password(client):
    response = register(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email == "li.na@example.com"
    assert "a-long-passphrase" not in user.password_hash
    assert user.check_password("a-long-passphrase")


def test_sign_up_with_a_taken_address_answers_the_same_and_mails_its_owner(client, make_user, outbox):
    owner = make_user("li.na@example.com")
    taken = register(client, email="LI.NA@example.com")
    fresh = register(app_client(client), email="wang.fang@example.com")
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"]
    assert db.session.scalar(select(db.func.count()).select_from(User).where(User.email == owner.email)) == 1
    db.session.refresh(owner)
    assert owner.check_password(PASSWORD) and owner.display_name == "Test User"
    mails = {message["To"]: message.get_content() for message in outbox()}
    assert "Someone tried to register" in mails["li.na@example.com"]
    assert "/register/confirm/" not in mails["li.na@example.com"]
    assert "/register/confirm/" in mails["wang.fang@example.com"]


def app_client(client):
    return client.application.test_client()


def test_weak_passwords_are_refused_with_a_message(client):
    for weak in ("short", "password123", "aaaaaaaaaaaa"):
        response = register(client, email=f"x{len(weak)}@example.com", password=weak)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert 'id="password-errors"' in page
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 0


def test_invalid_email_is_refused(client):
    response = register(client, email="not-an-email")
    assert response.status_code == 400
    assert 'id="email-errors"' in response.get_data(as_text=True)


def test_sign_in_and_out(client, make_user):
    user = make_user("farmer@example.com")
    response = client.post("/login", data={"email": "Farmer@Example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert "farmer@example.com" in client.get("/account").get_data(as_text=True)
    client.post("/logout")
    assert client.get("/account").status_code == 302
    assert user.id


def test_wrong_password_is_refused_without_saying_which_part(client, make_user):
    make_user("farmer@example.com")
    response = client.post("/login", data={"email": "farmer@example.com", "password": "nope-nope-nope"})
    assert response.status_code == 400
    assert "The email or password is not correct." in response.get_data(as_text=True)


def test_sign_in_renews_the_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_failed_sign_ins_are_limited_per_account(client, make_user, app):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    user = make_user()
    for _ in range(3):
        assert client.post("/login", data={"email": user.email, "password": "wrong-password!"}).status_code == 400
    blocked = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_failed_sign_ins_are_limited_per_address(client, make_user, app):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "4 per 15 minutes"
    users = [make_user() for _ in range(5)]
    for user in users[:4]:
        client.post("/login", data={"email": user.email, "password": "wrong-password!"})
    assert client.post("/login", data={"email": users[4].email, "password": PASSWORD}).status_code == 429


def test_password_reset_by_mailed_link(client, make_user, outbox):
    user = make_user("reset@example.com")
    old_hash = user.password_hash
    client.post("/password/forgot", data={"email": "reset@example.com"})
    messages = outbox()
    assert len(messages) == 1 and messages[0]["To"] == "reset@example.com"
    link = re.search(r"http://\S+/password/reset/\S+", messages[0].get_content()).group(0)
    path = urlsplit(link).path
    response = client.post(path, data={"password": "brand-new-secret", "confirm": "brand-new-secret"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.password_hash != old_hash and user.check_password("brand-new-secret")
    # The link works once only.
    again = client.post(path, data={"password": "another-new-secret", "confirm": "another-new-secret"})
    assert again.status_code == 302 and "/password/forgot" in again.headers["Location"]


def test_reset_for_unknown_address_sends_nothing_and_says_the_same(client, outbox):
    response = client.post("/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert "If an account exists" in response.get_data(as_text=True)
    assert outbox() == []


def test_forged_reset_token_is_refused(client):
    response = client.get("/password/reset/forged.token.value")
    assert response.status_code == 302


def test_change_password_ends_other_sessions(app, make_user, login):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    login(user, test_client=first)
    login(user, test_client=second)
    response = first.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "fresh-long-secret", "confirm": "fresh-long-secret"})
    assert response.status_code == 302
    assert first.get("/account").status_code == 200
    assert second.get("/account").status_code == 302


def test_change_password_needs_the_current_one(client, make_user, login):
    login(make_user())
    response = client.post("/account/password", data={
        "current_password": "not-it-at-all", "new_password": "fresh-long-secret", "confirm": "fresh-long-secret"})
    assert response.status_code == 400
    assert 'id="current_password-errors"' in response.get_data(as_text=True)


def test_profile_phone_is_validated(client, make_user, login):
    login(make_user())
    response = client.post("/account", data={"display_name": "王", "phone": "12345"})
    assert response.status_code == 400
    assert 'id="phone-errors"' in response.get_data(as_text=True)
    assert client.post("/account", data={"display_name": "王", "phone": "13912345678"}).status_code == 302
