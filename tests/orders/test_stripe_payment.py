"""Paying with Stripe Checkout through the real app, with the emulator sending signed webhooks."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Listing, ListingStatus
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderStatus, ProviderEventRecord, Refund, RefundStatus
from marketplace.core.timeutil import utcnow
from tests.support.factories_orders import checkout_form, fresh, wait_for


@pytest.fixture
def stripe_shop(app, stripe_on, served_app):
    """Stripe on, the app served over HTTP, the emulator's webhooks pointed at it."""
    stripe_on.register_webhook(f"{served_app.url}/payments/stripe/webhook", app.config["STRIPE_WEBHOOK_SECRET"])
    return stripe_on


@pytest.fixture
def shopper_with_basket(make_user, make_listing_for_sale, put_in_cart, login):
    shopper = make_user()
    tea = make_listing_for_sale(price_minor=3800, stock=3, title="狮峰龙井")
    put_in_cart(shopper, tea, 2)
    login(shopper)
    return shopper, tea


def checkout_with_stripe(client):
    response = client.post("/checkout", data=checkout_form(payment_method="stripe"))
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    db.session.rollback()
    order = db.session.scalars(select(Order)).one()
    return order, response.headers["Location"]


def order_state(order_id):
    return fresh(Order, order_id).status


def events_seen(kind):
    db.session.rollback()
    return db.session.scalars(select(ProviderEventRecord).where(ProviderEventRecord.event_type == kind)).all()


def run_out(order):
    """Let the order's reservation run out (as if its time had passed)."""
    row = fresh(Order, order.id)
    row.reserved_until = utcnow() - timedelta(minutes=1)
    db.session.commit()


def subjects(outbox):
    return [message["Subject"] for message in outbox()]


def test_paying_on_the_hosted_page_marks_the_order_paid_when_the_webhook_arrives(client, stripe_shop,
                                                                                 shopper_with_basket, outbox):
    shopper, tea = shopper_with_basket
    order, location = checkout_with_stripe(client)
    assert location.startswith(stripe_shop.url) and order.payment_reference.startswith("cs_test_")
    session = stripe_shop.session(order.payment_reference)
    assert session["amount_total"] == order.total_minor == 2 * 3800 + 1000
    assert session["metadata"]["order_id"] == str(order.id) and session["client_reference_id"] == str(order.id)
    # Coming back from the payment page marks nothing paid by itself.
    page = client.get(f"/orders/{order.id}/payment").get_data(as_text=True)
    assert "waiting for the payment service" in page and order_state(order.id) == OrderStatus.PENDING_PAYMENT

    assert stripe_shop.complete(order.payment_reference).status_code == 200
    assert wait_for(lambda: order_state(order.id) == OrderStatus.PAID)
    paid = fresh(Order, order.id)
    assert paid.payment_intent.startswith("pi_") and paid.payment_url is None
    assert "Your payment is confirmed" in client.get(f"/orders/{order.id}/payment").get_data(as_text=True)
    assert len([s for s in subjects(outbox) if "is paid" in s]) == 1
    assert fresh(Listing, tea.id).stock == 1


def test_a_declined_card_leaves_the_order_waiting(client, stripe_shop, shopper_with_basket):
    order, _location = checkout_with_stripe(client)
    assert stripe_shop.complete(order.payment_reference, payment_method="pm_card_chargeCustomerFail").status_code == 402
    assert order_state(order.id) == OrderStatus.PENDING_PAYMENT


def test_a_delayed_payment_that_fails_cancels_the_order_and_frees_the_stock(client, stripe_shop,
                                                                           shopper_with_basket, outbox):
    shopper, tea = shopper_with_basket
    order, _location = checkout_with_stripe(client)
    stripe_shop.complete(order.payment_reference, delayed=True)
    assert wait_for(lambda: events_seen("checkout.session.completed"))
    assert order_state(order.id) == OrderStatus.PENDING_PAYMENT
    stripe_shop.settle(order.payment_reference, succeeded=False)
    assert wait_for(lambda: order_state(order.id) == OrderStatus.CANCELLED)
    assert fresh(Listing, tea.id).stock == 3
    assert any("cancelled" in s for s in subjects(outbox))


def test_a_delayed_payment_that_succeeds_pays_the_order(client, stripe_shop, shopper_with_basket):
    order, _location = checkout_with_stripe(client)
    stripe_shop.complete(order.payment_reference, delayed=True)
    assert wait_for(lambda: events_seen("checkout.session.completed"))
    stripe_shop.settle(order.payment_reference, succeeded=True)
    assert wait_for(lambda: order_state(order.id) == OrderStatus.PAID)


def test_cancelling_a_paid_order_refunds_it_through_stripe_once(client, stripe_shop, shopper_with_basket, outbox):
    shopper, tea = shopper_with_basket
    order, _location = checkout_with_stripe(client)
    stripe_shop.complete(order.payment_reference)
    assert wait_for(lambda: order_state(order.id) == OrderStatus.PAID)
    assert client.post(f"/orders/{order.id}/cancel").status_code == 302
    refunded = fresh(Order, order.id)
    assert refunded.status == OrderStatus.REFUNDED and refunded.refunded_minor == refunded.total_minor
    assert [r["amount"] for r in stripe_shop.refunds_for(refunded.payment_intent)] == [refunded.total_minor]
    assert fresh(Listing, tea.id).stock == 3
    # Stripe reports the refund again by webhook: it is counted once, and mailed once.
    assert wait_for(lambda: events_seen("charge.refunded"))
    assert fresh(Order, order.id).refunded_minor == refunded.total_minor
    assert len([s for s in subjects(outbox) if s.startswith("Refund")]) == 1


def test_a_cooperative_cancelling_its_part_refunds_only_that_part(client, app, stripe_shop, make_user,
                                                                 make_cooperative, make_listing_for_sale,
                                                                 put_in_cart, login):
    shopper, seller = make_user(), make_user()
    tea = make_listing_for_sale(make_cooperative(seller), price_minor=3800, stock=3)
    rice = make_listing_for_sale(make_cooperative(county="230184"), price_minor=6900, stock=3)
    put_in_cart(shopper, tea, 1)
    put_in_cart(shopper, rice, 1)
    login(shopper)
    order, _location = checkout_with_stripe(client)
    stripe_shop.complete(order.payment_reference)
    assert wait_for(lambda: order_state(order.id) == OrderStatus.PAID)
    tea_part = next(sub for sub in fresh(Order, order.id).sub_orders if sub.cooperative_id == tea.cooperative_id)
    seller_client = app.test_client()
    login(seller, test_client=seller_client)
    response = seller_client.post(f"/seller/orders/{tea_part.id}/cancel", data={"reason": "霜冻，茶叶不足"})
    assert response.status_code == 302
    after = fresh(Order, order.id)
    assert after.status == OrderStatus.PAID and after.refunded_minor == tea_part.total_minor
    assert [r["amount"] for r in stripe_shop.refunds_for(after.payment_intent)] == [tea_part.total_minor]
    assert wait_for(lambda: events_seen("charge.refunded"))
    after = fresh(Order, order.id)
    assert after.status == OrderStatus.PAID and after.refunded_minor == tea_part.total_minor
    assert fresh(Listing, tea.id).stock == 3 and fresh(Listing, rice.id).stock == 2


def test_a_payment_after_the_reservation_ran_out_is_accepted_while_the_stock_is_there(client, stripe_shop,
                                                                                     shopper_with_basket):
    shopper, tea = shopper_with_basket
    order, _location = checkout_with_stripe(client)
    stripe_shop.hold_webhooks()
    assert stripe_shop.complete(order.payment_reference).status_code == 200
    run_out(order)
    client.get(f"/orders/{order.id}")  # reading the order applies the expiry, before the webhook arrives
    assert order_state(order.id) == OrderStatus.CANCELLED and fresh(Listing, tea.id).stock == 3
    stripe_shop.release_webhooks()
    assert wait_for(lambda: order_state(order.id) == OrderStatus.PAID)
    assert fresh(Listing, tea.id).stock == 1


def test_a_payment_for_stock_that_has_gone_is_refunded_and_the_buyer_told(client, app, stripe_shop,
                                                                          shopper_with_basket, make_user,
                                                                          put_in_cart, login, outbox):
    shopper, tea = shopper_with_basket
    order, _location = checkout_with_stripe(client)
    stripe_shop.hold_webhooks()
    assert stripe_shop.complete(order.payment_reference).status_code == 200
    run_out(order)
    rival = make_user()
    put_in_cart(rival, tea, 3)
    rival_client = app.test_client()
    login(rival, test_client=rival_client)
    assert rival_client.post("/checkout", data=checkout_form()).status_code == 302  # expiry released the stock
    assert fresh(Listing, tea.id).stock == 0

    stripe_shop.release_webhooks()
    assert wait_for(lambda: fresh(Order, order.id).refunded_minor == order.total_minor)
    late = fresh(Order, order.id)
    assert late.status == OrderStatus.CANCELLED
    [refund] = db.session.scalars(select(Refund).where(Refund.order_id == order.id)).all()
    assert (refund.status, refund.reason) == (RefundStatus.SUCCEEDED, "stock_gone")
    assert [r["amount"] for r in stripe_shop.refunds_for(late.payment_intent)] == [order.total_minor]
    refund_mail = [m for m in outbox() if m["Subject"].startswith("Refund") and m["To"] == shopper.email]
    assert len(refund_mail) == 1 and "sold out" in refund_mail[0].get_content()
    assert fresh(Listing, tea.id).stock == 0


def test_an_expired_checkout_cancels_the_order(client, stripe_shop, shopper_with_basket):
    shopper, tea = shopper_with_basket
    order, _location = checkout_with_stripe(client)
    import requests

    requests.post(f"{stripe_shop.url}/v1/checkout/sessions/{order.payment_reference}/expire",
                  headers={"Authorization": "Bearer sk_test_terroir"}, timeout=30).raise_for_status()
    assert wait_for(lambda: order_state(order.id) == OrderStatus.CANCELLED)
    assert fresh(Listing, tea.id).stock == 3


def test_the_order_is_kept_when_stripe_cannot_be_reached_and_paying_can_be_retried(client, app, stripe_shop,
                                                                                    shopper_with_basket):
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"
    response = client.post("/checkout", data=checkout_form(payment_method="stripe"))
    order = db.session.scalars(select(Order)).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/orders/{order.id}")
    assert "could not be reached" in client.get(response.headers["Location"]).get_data(as_text=True)
    app.config["STRIPE_API_BASE"] = stripe_shop.url
    retry = client.post(f"/orders/{order.id}/pay")
    assert retry.status_code == 303 and retry.headers["Location"].startswith(stripe_shop.url)
    again = client.post(f"/orders/{order.id}/pay")
    assert again.headers["Location"] == retry.headers["Location"]


def test_cancelling_an_unpaid_stripe_order_closes_its_payment_page(client, stripe_shop, shopper_with_basket):
    shopper, tea = shopper_with_basket
    order, _location = checkout_with_stripe(client)
    assert client.post(f"/orders/{order.id}/cancel").status_code == 302
    assert order_state(order.id) == OrderStatus.CANCELLED
    assert stripe_shop.session(order.payment_reference)["status"] == "expired"
    assert fresh(Listing, tea.id).status == ListingStatus.ACTIVE and fresh(Listing, tea.id).stock == 3


def test_a_refund_stripe_could_not_make_is_retried_by_the_command(client, app, runner, stripe_shop,
                                                                  shopper_with_basket, outbox):
    order, _location = checkout_with_stripe(client)
    stripe_shop.complete(order.payment_reference)
    assert wait_for(lambda: order_state(order.id) == OrderStatus.PAID)
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"
    assert client.post(f"/orders/{order.id}/cancel").status_code == 302
    waiting = fresh(Order, order.id)
    [refund] = db.session.scalars(select(Refund)).all()
    assert waiting.status == OrderStatus.REFUNDED and waiting.refunded_minor == 0
    assert refund.status == RefundStatus.PENDING and refund.last_error
    assert "being processed" in client.get(f"/orders/{order.id}").get_data(as_text=True)
    app.config["STRIPE_API_BASE"] = stripe_shop.url
    result = runner.invoke(args=["orders", "retry-refunds"])
    assert "1 refund(s) made; 0 still pending." in result.output, result.output
    assert fresh(Order, order.id).refunded_minor == order.total_minor
    assert [r["amount"] for r in stripe_shop.refunds_for(waiting.payment_intent)] == [order.total_minor]
    assert len([m for m in outbox() if m["Subject"].startswith("Refund")]) == 1
