"""Sign-up answers the same whether or not the address has an account; the mail tells.

The account opens when the owner of the address opens the mailed link, so a page can no
longer be used to learn who has an account, and nobody can hold a password on an address
they do not read.
"""
import re
from urllib.parse import urlsplit

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.support.factories import PASSWORD


def sign_up(client, email, password="a-long-passphrase", name="李娜"):
    return client.post("/register", data={"display_name": name, "email": email, "password": password,
                                          "confirm": password}, follow_redirects=True)


def link_in(message) -> str:
    return urlsplit(re.search(r"http://\S+/register/confirm/\S+", message.get_content()).group(0)).path


def mails_to(outbox, address):
    return [message for message in outbox() if message["To"] == address]


def test_a_new_account_opens_from_the_mailed_link_only(app, client, outbox):
    page = sign_up(client, "new.farmer@example.com")
    assert "we have sent a message to new.farmer@example.com" in page.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    # Not before the link: the right password says what to do, and does not sign in.
    refused = client.post("/login", data={"email": "new.farmer@example.com", "password": "a-long-passphrase"})
    assert refused.status_code == 400
    assert "Open the link we mailed" in refused.get_data(as_text=True)
    link = link_in(mails_to(outbox, "new.farmer@example.com")[0])
    welcome = client.get(link, follow_redirects=True)
    assert "Welcome to Terroir, 李娜!" in welcome.get_data(as_text=True)
    assert client.get("/account").status_code == 200
    # Once only.
    again = app.test_client().get(link, follow_redirects=True)
    assert "This sign-up link is invalid" in again.get_data(as_text=True)


def test_the_page_is_the_same_for_a_taken_and_a_new_address(app, make_user, outbox):
    make_user("taken@example.com")
    taken = sign_up(app.test_client(), "taken@example.com").get_data(as_text=True)
    new = sign_up(app.test_client(), "nobody@example.com").get_data(as_text=True)
    assert taken.replace("taken@example.com", "X") == new.replace("nobody@example.com", "X")
    assert "Someone tried to register" in mails_to(outbox, "taken@example.com")[0].get_content()


def test_whoever_signs_up_first_with_someone_elses_address_gets_nothing(app, outbox):
    sign_up(app.test_client(), "victim@example.com", password="attacker-secret-1", name="Attacker")
    sign_up(app.test_client(), "victim@example.com", password="her-own-long-secret", name="Victim")
    victim_link = link_in(mails_to(outbox, "victim@example.com")[-1])
    first_link = link_in(mails_to(outbox, "victim@example.com")[0])
    assert app.test_client().get(first_link).headers["Location"].endswith("/register")
    browser = app.test_client()
    assert browser.get(victim_link).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "victim@example.com"))
    db.session.refresh(user)
    assert user.display_name == "Victim" and not user.check_password("attacker-secret-1")
    assert app.test_client().post("/login", data={"email": "victim@example.com",
                                                  "password": "attacker-secret-1"}).status_code == 400


def test_a_forged_sign_up_link_opens_nothing(client, make_user):
    make_user()
    response = client.get("/register/confirm/forged.token.value", follow_redirects=True)
    assert "This sign-up link is invalid" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_a_password_reset_also_confirms_the_address(app, outbox):
    sign_up(app.test_client(), "late@example.com")
    app.test_client().post("/password/forgot", data={"email": "late@example.com"})
    reset = re.search(r"http://\S+/password/reset/\S+", mails_to(outbox, "late@example.com")[-1].get_content())
    client = app.test_client()
    assert client.post(urlsplit(reset.group(0)).path,
                       data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    assert app.test_client().post("/login", data={"email": "late@example.com",
                                                  "password": PASSWORD}).status_code == 302


def test_the_mail_language_is_the_browsers_at_sign_up_and_can_be_changed(app, outbox, login):
    chinese, english = app.test_client(), app.test_client()
    chinese.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN,zh;q=0.9"
    sign_up(chinese, "zh.reader@example.com")
    sign_up(english, "en.reader@example.com")
    assert db.session.scalar(select(User.language).where(User.email == "zh.reader@example.com")) == "zh"
    user = db.session.scalar(select(User).where(User.email == "en.reader@example.com"))
    assert user.language == "en"
    user.sign_up_pending_since = None
    db.session.commit()
    login(user, password="a-long-passphrase", test_client=english)
    refused = english.post("/account", data={"display_name": "Li", "phone": "", "language": "fr"})
    assert refused.status_code == 400 and 'id="language-errors"' in refused.get_data(as_text=True)
    assert english.post("/account", data={"display_name": "Li", "phone": "", "language": "zh"}).status_code == 302
    db.session.rollback()
    assert db.session.get(User, user.id).language == "zh"
