"""One address, one account, one counter, however it is typed.

Full-width letters, the ideographic full stop of Chinese keyboards and letter case are
folded before sign-in, the sign-in, sign-up and reset counters, registration and reset look
anything up; sign-up and reset requests are limited per address and per client.
"""
import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.support.factories import PASSWORD

VARIANTS = ["ＦＡＲＭＥＲ@example.com", "farmer@example。com", "Farmer@EXAMPLE．COM", "farmer＠ｅｘａｍｐｌｅ.com"]


def sign_in(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_variant_of_the_address_signs_in_to_the_same_account(app, make_user, variant):
    user = make_user("farmer@example.com")
    client = app.test_client()
    assert sign_in(client, variant).status_code == 302
    with client.session_transaction() as session:
        assert session["_user_id"].startswith(f"{user.id}:")


def test_variants_share_one_failed_sign_in_counter(app, make_user):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "100 per 15 minutes"
    make_user("farmer@example.com")
    client = app.test_client()
    for variant in VARIANTS[:3]:
        assert sign_in(client, variant, "wrong-password!").status_code == 400
    for typed in ["farmer@example.com", *VARIANTS]:
        assert sign_in(client, typed).status_code == 429, typed


def test_a_blocked_address_cannot_be_walked_around_with_a_variant(app, make_user):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "100 per 15 minutes"
    make_user("farmer@example.com")
    client = app.test_client()
    for _ in range(3):
        sign_in(client, "farmer@example.com", "wrong-password!")
    for variant in VARIANTS:
        assert sign_in(app.test_client(), variant).status_code == 429


def test_signing_up_with_a_variant_of_a_taken_address_opens_no_second_account(app, make_user, outbox):
    make_user("farmer@example.com")
    for variant in VARIANTS[:2]:
        app.test_client().post("/register", data={"display_name": "X", "email": variant,
                                                  "password": "a-long-passphrase", "confirm": "a-long-passphrase"})
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert [m["To"] for m in outbox()] == ["farmer@example.com", "farmer@example.com"]
    assert all("Someone tried to register" in m.get_content() for m in outbox())


def test_a_reset_asked_with_a_variant_reaches_the_account(app, make_user, outbox):
    make_user("farmer@example.com")
    app.test_client().post("/password/forgot", data={"email": "ｆａｒｍｅｒ@example。com"})
    assert [m["To"] for m in outbox()] == ["farmer@example.com"]


def _sign_up(client, email):
    return client.post("/register", data={"display_name": "X", "email": email,
                                          "password": "a-long-passphrase", "confirm": "a-long-passphrase"})


def test_sign_ups_are_limited_per_address_across_variants(app, outbox):
    app.config["REGISTER_LIMIT_PER_ACCOUNT"] = "2 per hour"
    assert _sign_up(app.test_client(), "new@example.com").status_code == 302
    assert _sign_up(app.test_client(), "ＮＥＷ@example。com").status_code == 302
    refused = _sign_up(app.test_client(), "new@example.com")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert len(outbox()) == 2


def test_sign_ups_are_limited_per_client(app, outbox):
    app.config["REGISTER_LIMIT_PER_ADDRESS"] = "3 per hour"
    client = app.test_client()
    for n in range(3):
        assert _sign_up(client, f"person{n}@example.com").status_code == 302
    assert _sign_up(client, "person9@example.com").status_code == 429
    assert len(outbox()) == 3


def test_reset_requests_are_limited_per_address_whether_or_not_it_has_an_account(app, make_user, outbox):
    app.config["RESET_LIMIT_PER_ACCOUNT"] = "2 per hour"
    make_user("farmer@example.com")
    for typed in ["farmer@example.com", "ＦＡＲＭＥＲ@example。com"]:
        assert app.test_client().post("/password/forgot", data={"email": typed}).status_code == 302
    assert app.test_client().post("/password/forgot", data={"email": "farmer@example.com"}).status_code == 429
    assert len(outbox()) == 2
    for _ in range(2):
        app.test_client().post("/password/forgot", data={"email": "ghost@example.com"})
    assert app.test_client().post("/password/forgot", data={"email": "ghost@example.com"}).status_code == 429


def test_reset_requests_are_limited_per_client(app, make_user, outbox):
    app.config["RESET_LIMIT_PER_ADDRESS"] = "3 per hour"
    users = [make_user() for _ in range(4)]
    client = app.test_client()
    for user in users[:3]:
        assert client.post("/password/forgot", data={"email": user.email}).status_code == 302
    assert client.post("/password/forgot", data={"email": users[3].email}).status_code == 429
    assert len(outbox()) == 3


def test_a_forged_forwarded_for_header_does_not_buy_a_fresh_client_count(app, make_user):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    users = [make_user() for _ in range(4)]
    client = app.test_client()
    for n, user in enumerate(users[:3]):
        client.post("/login", data={"email": user.email, "password": "wrong-password!"},
                    headers={"X-Forwarded-For": f"203.0.113.{n}"})
    response = client.post("/login", data={"email": users[3].email, "password": PASSWORD},
                           headers={"X-Forwarded-For": "203.0.113.99"})
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_count(app_config, make_user):
    from marketplace import create_app

    proxied = create_app({**app_config, "TRUSTED_PROXY_COUNT": 1, "LOGIN_LIMIT_PER_ADDRESS": "3 per 15 minutes"})
    users = [make_user() for _ in range(4)]
    with proxied.app_context():
        client = proxied.test_client()
        for user in users[:3]:
            client.post("/login", data={"email": user.email, "password": "wrong-password!"},
                        headers={"X-Forwarded-For": "203.0.113.7"})
        other = client.post("/login", data={"email": users[3].email, "password": PASSWORD},
                            headers={"X-Forwarded-For": "198.51.100.8"})
        same = client.post("/login", data={"email": users[3].email, "password": PASSWORD},
                           headers={"X-Forwarded-For": "203.0.113.7"})
        db.session.remove()
        db.engine.dispose()
    assert other.status_code == 302 and same.status_code == 429
