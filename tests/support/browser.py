"""Signing in through the real form, for browser tests that drive several people's pages."""
from __future__ import annotations

from tests.support.factories import PASSWORD


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in on `page` as `email` and wait until the form has let them in: a page opened right
    after the click could otherwise race the sign-in and land on the login form."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
