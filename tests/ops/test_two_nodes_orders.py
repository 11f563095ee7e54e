"""Two app nodes, one state, for money: an order and its payment look the same from either node.

Two gunicorn nodes share one throwaway PostgreSQL and one Redis (as in test_two_nodes.py)
and the Stripe emulator. A shopper checks out on node A; the cooperative's seller, signed in
through node B, sees the order there at once. The payment's signed webhook reaches node A
only, and the shopper's confirmation page on node B agrees that the order is paid.
"""
from __future__ import annotations

import re
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from tests.ops.test_two_nodes import database_factory, page, sign_in  # noqa: F401  (a fixture)
from tests.orders.test_stripe_webhook import session_event, signed
from tests.support.app_nodes import browser, csrf_token, nodes_sharing
from tests.support.factories_orders import checkout_form
from tests.support.polling import wait_for

#: The webhook secret both nodes are deployed with (the provider signs with it).
WEBHOOK_SECRET = f"whsec_{secrets.token_hex(16)}"
WEBHOOK = "/payments/stripe/webhook"
CONFIRMED = "Your payment is confirmed"
WAITING = "waiting for the payment service"


@pytest.fixture(scope="module")
def two_nodes(database_factory, tmp_path_factory, stripe_emulator):  # noqa: F811
    """Two nodes configured for Stripe against the emulator, as a deployment's .env would."""
    stripe = {"STRIPE_SECRET_KEY": "sk_test_terroir", "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
              "STRIPE_API_BASE": stripe_emulator.url, "STRIPE_READ_TIMEOUT": "60", "STRIPE_NETWORK_RETRIES": "1"}
    with nodes_sharing(database_factory.new(), tmp_path_factory.mktemp("nodes"), **stripe) as shared:
        yield shared


@pytest.fixture
def app_config(app_config, two_nodes):
    """The test's own app (which builds the data and signs events) shares the nodes' state and secret."""
    return {**app_config, "SQLALCHEMY_DATABASE_URI": two_nodes.url, "REDIS_URL": two_nodes.redis_url,
            "RATELIMIT_STORAGE_URI": two_nodes.redis_url, "SEARCH_BACKEND": "postgres",
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET}


@pytest.fixture
def nodes(app, two_nodes, stripe_emulator):
    stripe_emulator.reset()  # no webhook endpoint and no session left from another test
    return two_nodes.nodes


@pytest.fixture
def tea_shop(make_user, make_cooperative, make_listing_for_sale):
    """A tea cooperative with a listing, its seller, another cooperative's seller and a shopper."""
    seller, stranger = make_user(name="Tea seller"), make_user(name="Rice seller")
    cooperative = make_cooperative(seller, name="龙井茶农合作社")
    make_listing_for_sale(make_cooperative(stranger, county="230184", name="五常稻农合作社"), stock=9)
    tea = make_listing_for_sale(cooperative, price_minor=3800, stock=5, title="狮峰龙井")
    return {"seller": seller, "stranger": stranger, "shopper": make_user(name="周静"), "tea": tea}


def signed_in(email: str, form_node, post_node):
    visitor = browser()
    assert sign_in(visitor, form_node, post_node, email).status_code == 302
    return visitor


def checkout_with_stripe(shopper, node, listing_id: int, quantity: int) -> str:
    """Put the listing in the cart and place the order on `node`; return its Checkout Session id."""
    token = csrf_token(page(shopper, node, f"/listings/{listing_id}"))
    added = shopper.post(f"{node.url}/cart/add", data={"csrf_token": token, "listing_id": listing_id,
                                                       "quantity": quantity}, allow_redirects=False, timeout=60)
    assert added.status_code == 302, added.text[:500]
    token = csrf_token(page(shopper, node, "/checkout"))
    placed = shopper.post(f"{node.url}/checkout", data=checkout_form(payment_method="stripe", csrf_token=token),
                          allow_redirects=False, timeout=120)
    assert placed.status_code == 303, placed.text[:500]
    found = re.search(r"/pay/(cs_test_\w+)$", placed.headers["Location"])
    assert found, placed.headers["Location"]
    return found.group(1)


def order_paying_with(session_id: str):
    """The order the Checkout Session pays for, as the database holds it now."""
    from marketplace.extensions import db
    from marketplace.orders.models import Order

    db.session.rollback()
    return db.session.scalars(select(Order).where(Order.payment_reference == session_id)).one()


def figure(html: str, element_id: str) -> int:
    found = re.search(rf'id="{element_id}">(\d+)<', html)
    assert found, f"no #{element_id} on the page"
    return int(found.group(1))


def order_row(html: str, number: str) -> str:
    """The seller's orders table row of one order ('' when it is not listed)."""
    found = re.search(rf"<tr>(?:(?!</tr>).)*{number}(?:(?!</tr>).)*</tr>", html, re.S)
    return found.group(0) if found else ""


def test_an_order_placed_on_node_a_is_on_node_b_and_both_agree_when_node_a_hears_it_is_paid(nodes, tea_shop,
                                                                                           stripe_emulator):
    from marketplace.orders.services.lifecycle import order_number

    node_a, node_b = nodes
    stripe_emulator.register_webhook(f"{node_a.url}{WEBHOOK}", WEBHOOK_SECRET)  # the provider calls node A only
    seller = signed_in(tea_shop["seller"].email, node_a, node_b)
    stranger = signed_in(tea_shop["stranger"].email, node_b, node_a)
    board = page(seller, node_b, "/seller/")
    assert (figure(board, "count-stock"), figure(board, "count-orders-to-handle")) == (5, 0)

    shopper = signed_in(tea_shop["shopper"].email, node_b, node_a)
    session_id = checkout_with_stripe(shopper, node_a, tea_shop["tea"].id, 2)
    order_id = order_paying_with(session_id).id
    number = order_number(order_id)

    # Node B's seller pages (read before the order, so possibly cached) show it at once.
    board = page(seller, node_b, "/seller/")
    assert (figure(board, "count-stock"), figure(board, "count-orders-to-handle")) == (3, 0)
    assert "status-pending_payment" in order_row(page(seller, node_b, "/seller/orders"), number)
    assert order_row(page(stranger, node_b, "/seller/orders", show="all"), number) == ""
    for node in (node_b, node_a):
        assert WAITING in page(shopper, node, f"/orders/{order_id}/payment"), node.name

    assert stripe_emulator.complete(session_id).status_code == 200  # the shopper pays on the hosted page
    assert wait_for(lambda: CONFIRMED in page(shopper, node_b, f"/orders/{order_id}/payment"), timeout=120)
    assert CONFIRMED in page(shopper, node_a, f"/orders/{order_id}/payment")
    assert order_paying_with(session_id).payment_intent.startswith("pi_")
    for node in (node_b, node_a):
        assert "status-paid" in order_row(page(seller, node, "/seller/orders"), number), node.name
        board = page(seller, node, "/seller/")
        assert (figure(board, "count-stock"), figure(board, "count-orders-to-handle")) == (3, 1), node.name
    assert order_row(page(stranger, node_b, "/seller/orders", show="all"), number) == ""


def test_one_signed_event_delivered_to_both_nodes_at_once_pays_once(app, nodes, tea_shop):
    from marketplace.extensions import db
    from marketplace.orders.models import OrderEvent, OrderStatus, ProviderEventRecord

    node_a, node_b = nodes
    shopper = signed_in(tea_shop["shopper"].email, node_a, node_b)
    session_id = checkout_with_stripe(shopper, node_b, tea_shop["tea"].id, 1)
    order = order_paying_with(session_id)
    event = session_event(order, payment_intent=f"pi_{secrets.token_hex(8)}")
    body, header = signed(app, event)  # as the provider signs it, with the nodes' secret
    start = threading.Barrier(6)

    def deliver(node):
        start.wait(timeout=60)
        response = requests.post(f"{node.url}{WEBHOOK}", data=body, timeout=120,
                                 headers={"Stripe-Signature": header, "Content-Type": "application/json"})
        return response.status_code, response.json().get("outcome")

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(deliver, [node_a, node_b] * 3))
    assert [status for status, _ in answers] == [200] * 6
    assert sorted(outcome for _, outcome in answers) == ["duplicate"] * 5 + ["paid"]
    assert order_paying_with(session_id).status == OrderStatus.PAID
    assert db.session.scalar(select(func.count()).select_from(ProviderEventRecord)
                             .where(ProviderEventRecord.event_id == event["id"])) == 1
    assert db.session.scalar(select(func.count()).select_from(OrderEvent)
                             .where(OrderEvent.order_id == order.id, OrderEvent.kind == "pay")) == 1
    for node in (node_a, node_b):
        assert CONFIRMED in page(shopper, node, f"/orders/{order.id}/payment"), node.name
