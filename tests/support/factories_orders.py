"""Factories for the orders area: listings for sale, carts, orders, a live server, Stripe.

Fixture names are specific to this area (other areas add their own factories beside).
"""
from __future__ import annotations

import itertools
import secrets

import pytest

from tests.support.polling import wait_for  # noqa: F401  (kept importable from here)
from tests.support.serving import LiveServer
from tests.support.stripe_emulator import stripe_emulator  # noqa: F401  (a fixture)

_seq = itertools.count(1)

ADDRESS = {
    "recipient": "周静", "mobile": "13812345678", "province": "浙江省", "city": "杭州市",
    "county": "西湖区", "street": "龙井路 1 号",
}


def checkout_form(**overrides) -> dict:
    """The fields of the checkout form, filled in for a delivery in Hangzhou."""
    data = dict(ADDRESS, payment_method="bank_transfer")
    data.update(overrides)
    return data




@pytest.fixture
def make_listing_for_sale(app, make_cooperative):
    from marketplace.catalog.models import Listing, ListingStatus
    from marketplace.extensions import db

    def make(cooperative=None, *, price_minor: int = 2500, stock: int = 10, title: str | None = None,
             status=ListingStatus.ACTIVE, weight_grams: int | None = 500, unit: str = "500 g") -> Listing:
        listing = Listing(cooperative=cooperative or make_cooperative(), title=title or f"龙井茶 {next(_seq)}",
                          category="tea", price_minor=price_minor, unit=unit, weight_grams=weight_grams,
                          stock=stock, status=status, description="")
        db.session.add(listing)
        db.session.commit()
        return listing

    return make


@pytest.fixture
def put_in_cart(app):
    """Put a listing straight into a signed-in user's cart (as the cart page would)."""
    from marketplace.extensions import db
    from marketplace.orders.models import CartItem

    from marketplace.catalog.models import ListingVariant

    def put(user, listing, quantity: int = 1) -> CartItem:
        """`listing` may be a listing (its first size) or one of its sizes (a ListingVariant)."""
        variant = listing if isinstance(listing, ListingVariant) else listing.variants[0]
        item = CartItem(user_id=user.id, listing_id=variant.listing_id, variant_id=variant.id, quantity=quantity)
        db.session.add(item)
        db.session.commit()
        return item

    return put


@pytest.fixture
def place_order(app, put_in_cart):
    """Place an order for `user` through the checkout service, as the checkout page does."""
    from marketplace.orders.services.checkout import place_order as place

    def order(user, *lines, payment_method: str = "bank_transfer", **address):
        for listing, quantity in lines:
            put_in_cart(user, listing, quantity)
        with app.test_request_context("/checkout"):
            placed = place(user, dict(ADDRESS, **address), payment_method,
                           lambda order_id: (f"http://localhost/orders/{order_id}/payment",
                                             f"http://localhost/orders/{order_id}"))
        from marketplace.extensions import db
        from marketplace.orders.models import Order

        return db.session.get(Order, placed.order_id, populate_existing=True)

    return order


@pytest.fixture
def in_request(app):
    """Run a service the way a request does (gettext and url_for need a request context)."""

    def run(function, *args, **kwargs):
        with app.test_request_context("/"):
            return function(*args, **kwargs)

    return run


def fresh(model, ident):
    """Read a row as it is in the database now (not as this session last saw it)."""
    from marketplace.extensions import db

    db.session.rollback()
    return db.session.get(model, ident, populate_existing=True)


@pytest.fixture
def served_app(app):
    """The app served over real HTTP on 127.0.0.1 (a werkzeug server thread, one per request)."""
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = LiveServer(app).start()
    yield server
    server.stop()


def http_session(server, email: str | None = None, password: str | None = None):
    """A requests session on the live server, signed in with `email` through the sign-in form.

    Pass the email (not the user): other threads cannot read this test's database session.
    """
    import requests

    from tests.support.factories import PASSWORD

    session = requests.Session()
    if email is not None:
        response = session.post(f"{server.url}/login", data={"email": email, "password": password or PASSWORD},
                                allow_redirects=False, timeout=60)
        assert response.status_code == 302, response.text[:300]
    return session


@pytest.fixture
def stripe_on(app, stripe_emulator):
    """Configure the app for Stripe against the emulator, with a webhook secret of its own."""
    secret = f"whsec_{secrets.token_hex(16)}"
    stripe_emulator.reset()
    # The emulator shares this loaded machine: give it time (tests of a hung Stripe set their own).
    app.config.update(STRIPE_SECRET_KEY="sk_test_terroir", STRIPE_WEBHOOK_SECRET=secret,
                      STRIPE_API_BASE=stripe_emulator.url, STRIPE_READ_TIMEOUT=60, STRIPE_NETWORK_RETRIES=1)
    return stripe_emulator
