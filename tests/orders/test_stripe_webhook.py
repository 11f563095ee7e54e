"""The Stripe webhook endpoint: only verified events count, each once, in whatever order they come."""
import json
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import stripe
from sqlalchemy import func, select

from marketplace.core.audit import AuditEntry
from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent, OrderStatus, ProviderEventRecord
from tests.support.factories_orders import fresh

URL = "/payments/stripe/webhook"


@pytest.fixture
def stripe_order(app, stripe_on, make_user, make_listing_for_sale, place_order):
    """An order waiting for a Stripe payment (its Checkout Session made in the emulator)."""
    listing = make_listing_for_sale(price_minor=3800, stock=4)
    order = place_order(make_user(), (listing, 2), payment_method="stripe")
    assert order.payment_reference.startswith("cs_test_")
    return order, listing


def session_event(order, kind="checkout.session.completed", *, event_id=None, amount=None, currency="cny",
                  payment_status="paid", session_id=None, payment_intent="pi_test_1"):
    return {
        "id": event_id or f"evt_{secrets.token_hex(8)}", "object": "event", "type": kind,
        "created": int(time.time()), "api_version": "2025-01-27",
        "data": {"object": {
            "id": session_id or order.payment_reference, "object": "checkout.session",
            "amount_total": order.total_minor if amount is None else amount, "currency": currency,
            "payment_status": payment_status, "status": "complete", "payment_intent": payment_intent,
            "metadata": {"order_id": str(order.id)}, "client_reference_id": str(order.id),
        }},
    }


def charge_refunded(order, amount_refunded, *, payment_intent="pi_test_1"):
    return {
        "id": f"evt_{secrets.token_hex(8)}", "object": "event", "type": "charge.refunded",
        "created": int(time.time()),
        "data": {"object": {"id": "ch_test_1", "object": "charge", "amount": order.total_minor,
                            "amount_refunded": amount_refunded, "currency": "cny",
                            "payment_intent": payment_intent, "metadata": {}}},
    }


def signed(app, event, *, secret=None, timestamp=None):
    body = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(
        body, secret or app.config["STRIPE_WEBHOOK_SECRET"], timestamp=timestamp)
    return body, header


def deliver(client, app, event, **signing):
    body, header = signed(app, event, **signing)
    return client.post(URL, data=body, headers={"Stripe-Signature": header, "Content-Type": "application/json"})


def recorded_events():
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(ProviderEventRecord))


def paid_mails(outbox):
    return [m for m in outbox() if "is paid" in m["Subject"]]


def test_a_verified_completed_checkout_marks_the_order_paid(client, app, stripe_order, outbox):
    order, listing = stripe_order
    response = deliver(client, app, session_event(order))
    assert response.status_code == 200 and response.get_json()["outcome"] == "paid"
    paid = fresh(Order, order.id)
    assert paid.status == OrderStatus.PAID and paid.payment_intent == "pi_test_1"
    assert all(sub.status == OrderStatus.PAID for sub in paid.sub_orders)
    assert len(paid_mails(outbox)) == 1
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"sub_order.pay", "order.paid"} <= actions


def tamper(app, event):
    body, header = signed(app, event)
    return body.replace('"paid"', '"PAID"', 1), header


@pytest.mark.parametrize("make_request", [
    lambda app, event: (json.dumps(event), None),
    lambda app, event: signed(app, event, secret="whsec_someone_else"),
    tamper,
    lambda app, event: signed(app, event, timestamp=int(time.time()) - 3600),
    lambda app, event: signed(app, event, timestamp=int(time.time()) + 3600),
], ids=["no signature", "wrong secret", "changed body", "stale timestamp", "future timestamp"])
def test_an_unverified_event_changes_nothing(client, app, stripe_order, outbox, make_request):
    order, listing = stripe_order
    body, header = make_request(app, session_event(order))
    headers = {"Content-Type": "application/json", **({"Stripe-Signature": header} if header else {})}
    response = client.post(URL, data=body, headers=headers)
    assert response.status_code == 400
    assert fresh(Order, order.id).status == OrderStatus.PENDING_PAYMENT
    assert recorded_events() == 0 and paid_mails(outbox) == []


def test_a_replayed_request_is_refused_once_it_is_stale(client, app, stripe_order):
    order, listing = stripe_order
    app.config["STRIPE_WEBHOOK_TOLERANCE"] = 2
    body, header = signed(app, session_event(order), timestamp=int(time.time()) - 5)
    response = client.post(URL, data=body, headers={"Stripe-Signature": header})
    assert response.status_code == 400
    assert fresh(Order, order.id).status == OrderStatus.PENDING_PAYMENT


def test_the_same_event_ten_times_in_a_row_pays_once_and_mails_once(client, app, stripe_order, outbox):
    order, listing = stripe_order
    event = session_event(order)
    outcomes = [deliver(client, app, event).get_json()["outcome"] for _ in range(10)]
    assert outcomes == ["paid"] + ["duplicate"] * 9
    assert recorded_events() == 1 and len(paid_mails(outbox)) == 1
    assert db.session.scalar(select(func.count()).select_from(OrderEvent).where(OrderEvent.kind == "pay")) == 1


def test_the_same_event_ten_times_at_once_pays_once_and_mails_once(app, served_app, stripe_order, outbox):
    order, listing = stripe_order
    body, header = signed(app, session_event(order))
    start = threading.Barrier(10)

    def post(_):
        start.wait(timeout=30)
        response = requests.post(served_app.url + URL, data=body, timeout=60,
                                 headers={"Stripe-Signature": header, "Content-Type": "application/json"})
        return response.status_code, response.json().get("outcome")

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(post, range(10)))
    assert [status for status, _ in results] == [200] * 10
    assert sorted(outcome for _, outcome in results) == ["duplicate"] * 9 + ["paid"]
    assert fresh(Order, order.id).status == OrderStatus.PAID
    assert recorded_events() == 1 and len(paid_mails(outbox)) == 1


@pytest.mark.parametrize("change", [
    {"amount": 1}, {"currency": "usd"}, {"session_id": "cs_test_someone_else"},
], ids=["amount", "currency", "checkout session"])
def test_a_payment_that_does_not_match_the_order_is_flagged_never_paid(client, app, stripe_order, outbox, change):
    order, listing = stripe_order
    response = deliver(client, app, session_event(order, **change))
    assert response.status_code == 200 and response.get_json()["outcome"] == "mismatch"
    flagged = fresh(Order, order.id)
    assert flagged.status == OrderStatus.PENDING_PAYMENT and flagged.flagged and flagged.flag_reason
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "order.flagged",
                                                      AuditEntry.subject_id == str(order.id))) is not None
    assert paid_mails(outbox) == []


def test_an_event_for_an_unknown_order_or_of_another_kind_is_acknowledged_and_ignored(client, app, stripe_order):
    order, listing = stripe_order
    stranger = session_event(order)
    stranger["data"]["object"]["metadata"] = {"order_id": "999999"}
    stranger["data"]["object"]["client_reference_id"] = "999999"
    stranger["data"]["object"]["id"] = "cs_test_unknown"
    assert deliver(client, app, stranger).get_json()["outcome"] == "ignored: unknown order"
    other = session_event(order, "customer.created")
    assert deliver(client, app, other).get_json()["outcome"] == "ignored: event type"
    assert fresh(Order, order.id).status == OrderStatus.PENDING_PAYMENT


@pytest.mark.parametrize("body", ["not json", "[]", '{"object": "event"}', '{"object": "event", "id": 5}',
                                  '{"object": "event", "id": "evt_1", "type": "x", "data": []}'])
def test_a_signed_body_that_is_not_an_event_is_refused_without_a_crash(client, app, stripe_order, body):
    header = stripe.WebhookSignature.generate_signature_header(body, app.config["STRIPE_WEBHOOK_SECRET"])
    assert client.post(URL, data=body, headers={"Stripe-Signature": header}).status_code == 400


def test_the_endpoint_is_absent_without_stripe(client, app):
    app.config["STRIPE_SECRET_KEY"] = None
    assert client.post(URL, data="{}").status_code == 404


def test_expired_then_completed_takes_the_stock_again_and_pays(client, app, stripe_order):
    order, listing = stripe_order
    assert deliver(client, app, session_event(order, "checkout.session.expired",
                                              payment_status="unpaid")).get_json()["outcome"] == "expired"
    assert fresh(Order, order.id).status == OrderStatus.CANCELLED and fresh(Listing, listing.id).stock == 4
    assert deliver(client, app, session_event(order)).get_json()["outcome"] == "paid"
    assert fresh(Order, order.id).status == OrderStatus.PAID and fresh(Listing, listing.id).stock == 2


def test_completed_then_expired_stays_paid(client, app, stripe_order):
    order, listing = stripe_order
    deliver(client, app, session_event(order))
    outcome = deliver(client, app, session_event(order, "checkout.session.expired")).get_json()["outcome"]
    assert outcome.startswith("ignored") and fresh(Order, order.id).status == OrderStatus.PAID


def test_completed_unpaid_then_async_failed_cancels_and_frees_the_stock(client, app, stripe_order):
    order, listing = stripe_order
    deliver(client, app, session_event(order, payment_status="unpaid"))
    assert fresh(Order, order.id).status == OrderStatus.PENDING_PAYMENT
    deliver(client, app, session_event(order, "checkout.session.async_payment_failed", payment_status="unpaid"))
    assert fresh(Order, order.id).status == OrderStatus.CANCELLED and fresh(Listing, listing.id).stock == 4


def test_completed_paid_then_async_failed_stays_paid(client, app, stripe_order):
    order, listing = stripe_order
    deliver(client, app, session_event(order))
    outcome = deliver(client, app, session_event(order, "checkout.session.async_payment_failed",
                                                 payment_status="unpaid")).get_json()["outcome"]
    assert outcome.startswith("ignored") and fresh(Order, order.id).status == OrderStatus.PAID


def test_async_succeeded_before_completed_pays_once(client, app, stripe_order, outbox):
    order, listing = stripe_order
    assert deliver(client, app, session_event(order, "checkout.session.async_payment_succeeded")).get_json()[
        "outcome"] == "paid"
    assert deliver(client, app, session_event(order)).get_json()["outcome"] == "ignored: payment already applied"
    assert fresh(Order, order.id).status == OrderStatus.PAID and len(paid_mails(outbox)) == 1


def test_a_second_payment_for_a_paid_order_is_flagged(client, app, stripe_order):
    order, listing = stripe_order
    deliver(client, app, session_event(order))
    assert deliver(client, app, session_event(order, payment_intent="pi_other")).get_json()["outcome"] == "mismatch"
    assert fresh(Order, order.id).flagged


def test_a_full_refund_reported_by_stripe_refunds_the_order_and_frees_unshipped_stock(client, app, stripe_order,
                                                                                       outbox):
    order, listing = stripe_order
    deliver(client, app, session_event(order))
    assert fresh(Listing, listing.id).stock == 2
    assert deliver(client, app, charge_refunded(order, order.total_minor)).get_json()["outcome"] == "refunded"
    refunded = fresh(Order, order.id)
    assert refunded.status == OrderStatus.REFUNDED and refunded.refunded_minor == order.total_minor
    assert fresh(Listing, listing.id).stock == 4
    assert len([m for m in outbox() if m["Subject"].startswith("Refund")]) == 1
    again = deliver(client, app, charge_refunded(order, order.total_minor)).get_json()["outcome"]
    assert again == "ignored: refund already counted"


def test_a_partial_refund_reported_by_stripe_is_recorded_and_the_order_goes_on(client, app, stripe_order):
    order, listing = stripe_order
    deliver(client, app, session_event(order))
    assert deliver(client, app, charge_refunded(order, 500)).get_json()["outcome"] == "refunded"
    partial = fresh(Order, order.id)
    assert partial.status == OrderStatus.PAID and partial.refunded_minor == 500
    assert fresh(Listing, listing.id).stock == 2


def test_a_refund_event_for_an_order_never_paid_changes_nothing(client, app, stripe_order):
    order, listing = stripe_order
    outcome = deliver(client, app, charge_refunded(order, order.total_minor, payment_intent="pi_unknown"))
    assert outcome.get_json()["outcome"] == "ignored: unknown order"
    assert fresh(Order, order.id).status == OrderStatus.PENDING_PAYMENT


def test_the_webhook_needs_no_csrf_token_while_the_shop_forms_do(client, app, stripe_order, make_listing_for_sale):
    order, listing = stripe_order
    app.config["WTF_CSRF_ENABLED"] = True
    assert deliver(client, app, session_event(order)).status_code == 200
    assert client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1}).status_code == 400
