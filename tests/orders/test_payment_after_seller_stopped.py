"""A Stripe payment whose webhook arrives after the seller may no longer sell is refunded.

The shopper pays on the (emulated) hosted page; before the signed webhook reaches the app,
a supervisor sets the cooperative back to pending or suspends it, or the seller takes the
listing offline. The order must not become paid: the part is cancelled, its stock goes
back, the money goes back through the emulator once (whatever the webhook repeats), the
change is audited and the buyer gets a mail from the outbox.
"""
import pytest
from sqlalchemy import select

from marketplace.core.audit import AuditEntry
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.cooperatives.models import CooperativeStatus
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderStatus, Refund, RefundStatus, SubOrder
from tests.orders.test_stripe_payment import checkout_with_stripe, order_state, run_out
from tests.orders.test_stripe_webhook import deliver, session_event
from tests.support.factories_orders import fresh, wait_for

STOPS = {
    "cooperative pending": lambda listing: setattr(listing.cooperative, "status", CooperativeStatus.PENDING),
    "cooperative suspended": lambda listing: setattr(listing.cooperative, "status", CooperativeStatus.SUSPENDED),
    "listing paused": lambda listing: setattr(listing, "status", ListingStatus.PAUSED),
    "listing back to draft": lambda listing: setattr(listing, "status", ListingStatus.DRAFT),
}


@pytest.fixture
def stripe_shop(app, stripe_on, served_app):
    stripe_on.register_webhook(f"{served_app.url}/payments/stripe/webhook", app.config["STRIPE_WEBHOOK_SECRET"])
    return stripe_on


@pytest.fixture
def ordered(client, make_user, make_listing_for_sale, put_in_cart, login):
    """A shopper with an unpaid Stripe order of `quantity` of a new listing (stock 3)."""

    def order(quantity=2, **listing):
        shopper = make_user()
        tea = make_listing_for_sale(**{"price_minor": 3800, "stock": 3, **listing})
        put_in_cart(shopper, tea, quantity)
        login(shopper)
        placed, _location = checkout_with_stripe(client)
        return shopper, tea, placed

    return order


def paid_but_held(stripe_shop, order):
    """The shopper pays on the hosted page; the webhook waits until released."""
    stripe_shop.hold_webhooks()
    assert stripe_shop.complete(order.payment_reference).status_code == 200


def stop_selling(listing_id, how):
    listing = fresh(Listing, listing_id)
    STOPS[how](listing)
    db.session.commit()


def refunds_of(order_id):
    db.session.rollback()
    return db.session.scalars(select(Refund).where(Refund.order_id == order_id)).all()


def audit_actions(subject_type, subject_id):
    db.session.rollback()
    return db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.subject_type == subject_type, AuditEntry.subject_id == str(subject_id))).all()


@pytest.mark.parametrize("how", list(STOPS))
def test_a_payment_arriving_after_the_seller_stopped_is_refunded_never_paid(client, stripe_shop, ordered, outbox,
                                                                           how):
    shopper, tea, order = ordered(title="狮峰龙井")
    assert fresh(Listing, tea.id).stock == 1
    paid_but_held(stripe_shop, order)
    stop_selling(tea.id, how)
    stripe_shop.release_webhooks()

    assert wait_for(lambda: fresh(Order, order.id).refunded_minor == order.total_minor)
    refused = fresh(Order, order.id)
    assert refused.status == OrderStatus.CANCELLED and refused.paid_at is None
    assert fresh(Listing, tea.id).stock == 3
    [refund] = refunds_of(order.id)
    assert (refund.status, refund.reason, refund.amount_minor) == (RefundStatus.SUCCEEDED, "seller_stopped",
                                                                   order.total_minor)
    assert [r["amount"] for r in stripe_shop.refunds_for(refused.payment_intent)] == [order.total_minor]
    mails = [m for m in outbox() if m["To"] == shopper.email]
    assert not [m for m in mails if "is paid" in m["Subject"]]
    refund_mail = [m for m in mails if m["Subject"].startswith("Refund")]
    assert len(refund_mail) == 1 and "stopped selling" in refund_mail[0].get_content()
    [sub] = refused.sub_orders
    assert "sub_order.payment_refused" in audit_actions("sub_order", sub.id)
    assert {"refund.requested", "refund.succeeded"} <= set(audit_actions("order", order.id))
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Cooperative stopped selling before payment" in page


def test_the_same_payment_event_again_or_a_second_one_refunds_once(client, app, stripe_shop, ordered):
    _shopper, tea, order = ordered(quantity=1)
    stop_selling(tea.id, "cooperative suspended")
    event = session_event(order, payment_intent="pi_test_late")
    assert deliver(client, app, event).get_json()["outcome"] == "refunding"
    assert deliver(client, app, event).get_json()["outcome"] == "duplicate"
    again = session_event(order, "checkout.session.async_payment_succeeded", payment_intent="pi_test_late")
    assert deliver(client, app, again).get_json()["outcome"] == "ignored: payment already applied"
    [refund] = refunds_of(order.id)
    assert refund.reason == "seller_stopped" and refund.amount_minor == order.total_minor
    assert fresh(Listing, tea.id).stock == 3 and order_state(order.id) == OrderStatus.CANCELLED


def test_only_the_part_of_the_cooperative_that_stopped_is_refunded(client, app, stripe_shop, make_user,
                                                                   make_cooperative, make_listing_for_sale,
                                                                   put_in_cart, login, outbox):
    shopper = make_user()
    tea = make_listing_for_sale(make_cooperative(), price_minor=3800, stock=3)
    honey = make_listing_for_sale(make_cooperative(), price_minor=2000, stock=5)
    put_in_cart(shopper, tea, 1)
    put_in_cart(shopper, honey, 2)
    login(shopper)
    order, _location = checkout_with_stripe(client)
    paid_but_held(stripe_shop, order)
    stop_selling(tea.id, "cooperative pending")
    stripe_shop.release_webhooks()

    tea_part = db.session.scalars(select(SubOrder).where(SubOrder.order_id == order.id,
                                                         SubOrder.cooperative_id == tea.cooperative_id)).one()
    assert wait_for(lambda: fresh(Order, order.id).refunded_minor == tea_part.total_minor)
    after = fresh(Order, order.id)
    assert after.status == OrderStatus.PAID
    statuses = {sub.cooperative_id: sub.status for sub in after.sub_orders}
    assert statuses == {tea.cooperative_id: OrderStatus.CANCELLED, honey.cooperative_id: OrderStatus.PAID}
    assert fresh(Listing, tea.id).stock == 3 and fresh(Listing, honey.id).stock == 3
    assert [r["amount"] for r in stripe_shop.refunds_for(after.payment_intent)] == [tea_part.total_minor]


def test_a_late_payment_does_not_revive_an_expired_order_of_a_suspended_cooperative(client, stripe_shop, ordered):
    _shopper, tea, order = ordered()
    paid_but_held(stripe_shop, order)
    run_out(order)
    client.get(f"/orders/{order.id}")  # the expiry frees the stock before the webhook arrives
    assert order_state(order.id) == OrderStatus.CANCELLED and fresh(Listing, tea.id).stock == 3
    stop_selling(tea.id, "cooperative suspended")
    stripe_shop.release_webhooks()

    assert wait_for(lambda: fresh(Order, order.id).refunded_minor == order.total_minor)
    assert order_state(order.id) == OrderStatus.CANCELLED and fresh(Listing, tea.id).stock == 3
    [refund] = refunds_of(order.id)
    assert refund.reason == "seller_stopped" and refund.status == RefundStatus.SUCCEEDED


def test_a_payment_of_a_seller_still_selling_is_paid_as_before(client, stripe_shop, ordered):
    _shopper, tea, order = ordered(quantity=1, stock=1)
    assert fresh(Listing, tea.id).status == ListingStatus.SOLD_OUT  # sold out by this very order
    assert stripe_shop.complete(order.payment_reference).status_code == 200
    assert wait_for(lambda: order_state(order.id) == OrderStatus.PAID)
    assert refunds_of(order.id) == []


def test_payment_cannot_start_again_once_a_listing_of_the_order_is_taken_offline(client, stripe_on, ordered):
    _shopper, tea, order = ordered(quantity=1)
    stop_selling(tea.id, "listing paused")
    response = client.post(f"/orders/{order.id}/pay", follow_redirects=True)
    assert "Part of this order is no longer for sale" in response.get_data(as_text=True)
    assert not response.request.url.startswith(stripe_on.url)
    assert order_state(order.id) == OrderStatus.PENDING_PAYMENT
