"""Links leave the site only on its public address; requests for other hosts are refused.

A reset link built on the request's Host let anyone have a victim mailed a valid link on
a host of their choosing. Links now come from PUBLIC_URL alone, production refuses to start
without it, and a request naming a host outside TRUSTED_HOSTS gets a 400.
"""
import re

import pytest

from marketplace import create_app
from marketplace.core.deployment import DeploymentError


def test_a_reset_request_for_another_host_is_refused_and_mails_nothing(client, make_user, outbox):
    make_user("victim@example.com")
    response = client.post("/password/forgot", data={"email": "victim@example.com"},
                           headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert outbox() == []


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example", "evil.example:80"])
def test_any_page_for_another_host_is_refused(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 400


def test_the_public_host_is_served(client):
    assert client.get("/", headers={"Host": "localhost:5000"}).status_code == 200


@pytest.fixture
def shop_app(app):
    """The site published as https://shop.example, also reachable on an internal name."""
    app.config.update(PUBLIC_URL="https://shop.example", TRUSTED_HOSTS=["shop.example", "internal.lan"])
    return app


def test_mailed_links_never_carry_the_requests_host(shop_app, make_user, make_cooperative, login, outbox):
    owner = make_user("owner@example.com")
    cooperative = make_cooperative(owner)
    client = shop_app.test_client()
    base = "http://internal.lan"
    assert client.post(f"{base}/login", data={"email": owner.email, "password": "correct-horse-battery"}
                       ).status_code == 302
    client.post(f"{base}/cooperatives/{cooperative.id}/members", data={"email": "member@example.com"})
    shop_app.test_client().post(f"{base}/password/forgot", data={"email": "owner@example.com"})
    shop_app.test_client().post(f"{base}/register", data={"display_name": "N", "email": "new@example.com",
                                                          "password": "a-long-passphrase",
                                                          "confirm": "a-long-passphrase"})
    mails = outbox()
    assert len(mails) == 3
    for message in mails:
        links = re.findall(r"https?://\S+", message.get_content())
        assert links and all(link.startswith("https://shop.example/") for link in links), links


def _production_config(app_config, **overrides):
    config = {**app_config, "TESTING": False, "DEBUG": False, "PUBLIC_URL": None}
    config.update(overrides)
    return config


def test_production_refuses_to_start_without_a_public_url(app_config, monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(DeploymentError, match="PUBLIC_URL"):
        create_app(_production_config(app_config))


def test_production_trusts_only_the_public_host_by_default(app_config, monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = create_app(_production_config(app_config, PUBLIC_URL="https://shop.example/"))
    assert app.config["PUBLIC_URL"] == "https://shop.example"
    assert app.config["TRUSTED_HOSTS"] == ["shop.example"]
    with app.app_context():
        from marketplace.extensions import db

        client = app.test_client()
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
        assert client.get("/", headers={"Host": "shop.example"}).status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_a_development_server_starts_without_a_public_url(app_config, monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    app = create_app(_production_config(app_config, DEBUG=True))
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert "127.0.0.1" in app.config["TRUSTED_HOSTS"]
