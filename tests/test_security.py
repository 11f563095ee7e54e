"""CSRF on every form, security headers, and error pages in the site's own look."""
import pytest


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.mark.parametrize("url", ["/register", "/login", "/password/forgot", "/logout"])
def test_posts_without_csrf_token_are_refused(csrf_app, url):
    response = csrf_app.test_client().post(url, data={"email": "a@example.com", "password": "x" * 12})
    assert response.status_code == 400
    assert "The form expired or was not sent from this site" in response.get_data(as_text=True)


def test_signed_in_post_without_csrf_token_changes_nothing(csrf_app, make_user):
    from tests.support.factories import PASSWORD

    user = make_user()
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"email": user.email, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    response = client.post("/account", data={"display_name": "Hijacked"})
    assert response.status_code == 400
    from marketplace.extensions import db
    db.session.refresh(user)
    assert user.display_name != "Hijacked"


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_secure_cookie_flags_when_served_over_https(app_config):
    from marketplace import create_app

    app = create_app({**app_config, "SESSION_COOKIE_SECURE": True, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        client = app.test_client()
        response = client.get("/login")
        assert "Strict-Transport-Security" in response.headers
        cookie = response.headers.get("Set-Cookie", "")
        assert "Secure" in cookie and "HttpOnly" in cookie


@pytest.mark.parametrize("url,status", [("/no-such-page", 404), ("/logout", 405)])
def test_error_pages_use_the_site_layout(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert 'class="site-header"' in page and f'<p class="error-code">{status}</p>' in page


def test_too_large_upload_gets_a_413_page(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/login", data={"email": "x" * 5000})
    assert response.status_code == 413
    assert '<p class="error-code">413</p>' in response.get_data(as_text=True)


def test_unexpected_error_gets_a_500_page_not_a_traceback(app):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "secret internals" not in page and '<p class="error-code">500</p>' in page


def test_redirect_after_sign_in_stays_on_this_site(client, make_user):
    from tests.support.factories import PASSWORD

    user = make_user()
    response = client.post("/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
