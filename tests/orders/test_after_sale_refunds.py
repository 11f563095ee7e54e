"""After-sales refunds: through Stripe (the emulator) for orders paid online, and never more than
was paid when answers or requests arrive at the same moment (over real HTTP, both databases)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Order, OrderStatus, Refund, RefundStatus
from marketplace.orders.models.after_sale import AfterSaleRequest, AfterSaleStatus
from marketplace.orders.services import fulfilment
from tests.orders.test_stripe_payment import (  # noqa: F401
    checkout_with_stripe,
    order_state,
    stripe_shop,
)
from tests.support.factories_orders import fresh, http_session, wait_for

REASON = "桃子到货时已经腐烂，有霉斑。"


def test_a_partial_after_sales_refund_of_a_card_payment_goes_through_stripe(
        app, client, stripe_shop, make_user, make_cooperative, make_listing_for_sale, put_in_cart, login,  # noqa: F811
        client_of, in_request, outbox):
    buyer, seller = make_user(), make_user()
    peaches = make_listing_for_sale(make_cooperative(seller), price_minor=5900, stock=5, title="平谷大桃")
    put_in_cart(buyer, peaches, 2)
    login(buyer)
    order, _location = checkout_with_stripe(client)
    stripe_shop.complete(order.payment_reference)
    assert wait_for(lambda: order_state(order.id) == OrderStatus.PAID)
    sub_id = fresh(Order, order.id).sub_orders[0].id
    in_request(fulfilment.ship, seller, sub_id, "sf", "SF1234567890")
    in_request(fulfilment.mark_delivered, seller, sub_id)

    response = client.post(f"/orders/{order.id}/parcels/{sub_id}/after-sale",
                           data={"kind": "refund", "reason": REASON, "amount": "59.00"})
    assert response.status_code == 302
    db.session.rollback()
    request = db.session.scalar(select(AfterSaleRequest))
    assert client_of(seller).post(f"/seller/after-sales/{request.id}/accept",
                                  data={"amount": "59.00"}).status_code == 302
    paid = fresh(Order, order.id)
    assert [r["amount"] for r in stripe_shop.refunds_for(paid.payment_intent)] == [5900]
    refund = db.session.scalar(select(Refund))
    assert refund.status == RefundStatus.SUCCEEDED and refund.provider_refund_id
    assert paid.refunded_minor == 5900 and paid.status == OrderStatus.DELIVERED
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "After-sales refund granted" in page and 'id="order-refunded"' in page
    assert wait_for(lambda: [m for m in outbox() if m["Subject"].startswith("Refund for your order")])


def _race(served_app, email: str, path: str, data: dict, runners: int = 6):
    with ThreadPoolExecutor(max_workers=runners) as pool:
        sessions = list(pool.map(lambda _n: http_session(served_app, email), range(runners)))
    start = threading.Barrier(runners)

    def post(session):
        start.wait(timeout=60)
        return session.post(f"{served_app.url}{path}", data=data, allow_redirects=False, timeout=120).status_code

    with ThreadPoolExecutor(max_workers=runners) as pool:
        return list(pool.map(post, sessions))


def test_answers_racing_for_one_request_refund_once(served_app, delivered_parcel, client_of):
    parcel = delivered_parcel()
    assert client_of(parcel.buyer).post(
        f"/orders/{parcel.order_id}/parcels/{parcel.sub_id}/after-sale",
        data={"kind": "refund", "reason": REASON, "amount": str(parcel.total / 100)}).status_code == 302
    db.session.rollback()
    request_id = db.session.scalar(select(AfterSaleRequest.id))
    statuses = _race(served_app, parcel.seller.email, f"/seller/after-sales/{request_id}/accept",
                     {"amount": str(parcel.total / 100)})
    assert statuses.count(302) == 1 and set(statuses) <= {302, 409}, statuses
    db.session.rollback()
    assert [r.amount_minor for r in db.session.scalars(select(Refund))] == [parcel.total]
    order = fresh(Order, parcel.order_id)
    assert order.refunded_minor == parcel.total <= order.total_minor


def test_requests_racing_for_one_parcel_make_one(served_app, delivered_parcel):
    parcel = delivered_parcel()
    statuses = _race(served_app, parcel.buyer.email, f"/orders/{parcel.order_id}/parcels/{parcel.sub_id}/after-sale",
                     {"kind": "refund", "reason": REASON, "amount": "10"})
    assert statuses.count(302) == 1 and set(statuses) <= {302, 409}, statuses
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AfterSaleRequest)) == 1


def test_supervisors_granting_one_escalated_request_at_once_refund_once(
        served_app, delivered_parcel, make_user, client_of):
    """The decision is taken once, whoever clicks at the same moment."""
    parcel = delivered_parcel()
    client_of(parcel.buyer).post(f"/orders/{parcel.order_id}/parcels/{parcel.sub_id}/after-sale",
                                 data={"kind": "refund", "reason": REASON, "amount": str(parcel.total / 100)})
    db.session.rollback()
    request = db.session.scalar(select(AfterSaleRequest))
    # Escalated by the buyer after a refusal; then the supervisor's decision is sent several times at once.
    client_of(parcel.seller).post(f"/seller/after-sales/{request.id}/refuse", data={"reason": "不同意退款的理由。"})
    client_of(parcel.buyer).post(f"/orders/after-sale/{request.id}/escalate")
    supervisor = make_user(supervisor=True)
    statuses = _race(served_app, supervisor.email, f"/admin/after-sales/{request.id}",
                     {"decision": "grant", "amount": str(parcel.total / 100), "note": "照片可见霉斑，应退款。"})
    assert statuses.count(302) == 1, statuses
    db.session.rollback()
    assert db.session.scalar(select(func.sum(Refund.amount_minor))) == parcel.total
    assert db.session.get(AfterSaleRequest, request.id).status == AfterSaleStatus.REFUNDED
