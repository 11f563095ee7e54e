"""A payment service that hangs costs the shopper seconds, never the order: they pay again later."""

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderStatus
from tests.support.factories_orders import checkout_form, fresh, wait_for
from tests.support.smtp import SilentRelay


@pytest.fixture
def hung_stripe(app, stripe_on):
    """Stripe configured, but its API address accepts connections and never answers."""
    hung = SilentRelay()
    app.config.update(STRIPE_API_BASE=f"http://127.0.0.1:{hung.port}", STRIPE_CONNECT_TIMEOUT=1,
                      STRIPE_READ_TIMEOUT=1)
    yield hung
    hung.stop()


def test_checkout_with_a_hung_stripe_keeps_the_order_and_lets_the_shopper_pay_again(
        app, client, login, make_user, make_listing_for_sale, put_in_cart, hung_stripe, stripe_on, served_app):
    shopper = make_user()
    tea = make_listing_for_sale(price_minor=3800, stock=3, title="狮峰龙井")
    put_in_cart(shopper, tea, 2)
    login(shopper)

    # Without the provider's timeouts this post would hang until the suite's timeout fails it.
    response = client.post("/checkout", data=checkout_form(payment_method="stripe"))
    order = db.session.scalars(select(Order)).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/orders/{order.id}")
    assert order.status == OrderStatus.PENDING_PAYMENT and order.payment_url is None
    assert fresh(Listing, tea.id).stock == 1  # the order holds its stock
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "could not be reached" in page and 'id="payment-retry"' in page
    assert f'action="/orders/{order.id}/pay"' in page

    # Still hung: paying again answers quickly too, and changes nothing.
    again = client.post(f"/orders/{order.id}/pay")
    assert again.status_code == 302
    assert fresh(Order, order.id).status == OrderStatus.PENDING_PAYMENT

    # Stripe is back: "Pay now" opens the hosted page, and paying there pays the order.
    app.config["STRIPE_API_BASE"] = stripe_on.url
    stripe_on.register_webhook(f"{served_app.url}/payments/stripe/webhook", app.config["STRIPE_WEBHOOK_SECRET"])
    paying = client.post(f"/orders/{order.id}/pay")
    assert paying.status_code == 303 and paying.headers["Location"].startswith(stripe_on.url)
    reference = fresh(Order, order.id).payment_reference
    assert 'id="payment-retry"' not in client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert stripe_on.complete(reference).status_code == 200
    assert wait_for(lambda: fresh(Order, order.id).status == OrderStatus.PAID)
    assert fresh(Listing, tea.id).stock == 1
