"""An order's life: offline payment confirmed by each seller, shipping with tracking, receipt, cancel."""
import pytest
from sqlalchemy import select

from marketplace.core.audit import AuditEntry, AuditLogIsAppendOnly
from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent, OrderStatus, Refund, RefundStatus
from marketplace.orders.services.lifecycle import TRANSITIONS, status_from_sub_orders
from tests.support.factories_orders import fresh


@pytest.fixture
def two_cooperative_order(app, make_user, make_cooperative, make_listing_for_sale, place_order):
    """An offline order with a parcel from each of two cooperatives, and their sellers signed in."""
    shopper, tea_seller, rice_seller = make_user(name="周静"), make_user(), make_user()
    tea = make_listing_for_sale(make_cooperative(tea_seller, name="龙井合作社"), price_minor=3800, stock=5,
                                title="西湖龙井")
    rice = make_listing_for_sale(make_cooperative(rice_seller, county="230184", name="五常合作社"),
                                 price_minor=6900, stock=5, title="五常大米")
    order = place_order(shopper, (tea, 2), (rice, 1))
    parts = {sub.cooperative_id: sub.id for sub in order.sub_orders}
    return {"order": order, "shopper": shopper, "tea": tea, "rice": rice,
            "tea_seller": tea_seller, "rice_seller": rice_seller,
            "tea_part": parts[tea.cooperative_id], "rice_part": parts[rice.cooperative_id]}


def as_user(app, login, user):
    client = app.test_client()
    login(user, test_client=client)
    return client


def test_sellers_confirm_payment_and_ship_and_the_shopper_sees_the_tracking_numbers(app, login,
                                                                                   two_cooperative_order, outbox):
    world = two_cooperative_order
    order_id = world["order"].id
    tea_seller, rice_seller = as_user(app, login, world["tea_seller"]), as_user(app, login, world["rice_seller"])
    shopper = as_user(app, login, world["shopper"])

    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment").status_code == 302
    assert fresh(Order, order_id).status == OrderStatus.PENDING_PAYMENT  # one part still unpaid
    assert rice_seller.post(f"/seller/orders/{world['rice_part']}/confirm-payment").status_code == 302
    assert fresh(Order, order_id).status == OrderStatus.PAID
    assert len([m for m in outbox() if "is paid" in m["Subject"]]) == 1

    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/ship",
                           data={"carrier": "sf", "tracking_number": "SF1234567890"}).status_code == 302
    assert fresh(Order, order_id).status == OrderStatus.PAID
    assert rice_seller.post(f"/seller/orders/{world['rice_part']}/ship",
                            data={"carrier": "ems", "tracking_number": "ee 123 456 789 cn"}).status_code == 302
    assert fresh(Order, order_id).status == OrderStatus.SHIPPED

    page = shopper.get(f"/orders/{order_id}").get_data(as_text=True)
    assert "SF1234567890" in page and "EE123456789CN" in page and ("顺丰速运" in page or "SF Express" in page)
    shipped = [m for m in outbox() if "on its way" in m["Subject"]]
    assert len(shipped) == 2 and "SF1234567890" in " ".join(m.get_content() for m in shipped)

    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/deliver").status_code == 302
    assert shopper.post(f"/orders/{order_id}/parcels/{world['tea_part']}/received").status_code == 302
    assert shopper.post(f"/orders/{order_id}/parcels/{world['rice_part']}/received").status_code == 302
    done = fresh(Order, order_id)
    assert done.status == OrderStatus.COMPLETED
    kinds = [event.kind for event in done.events]
    assert kinds[0] == "placed" and kinds.count("pay") == 2 and kinds.count("ship") == 2
    assert "Receipt confirmed" in shopper.get(f"/orders/{order_id}").get_data(as_text=True)


def test_every_change_writes_an_event_and_an_append_only_audit_row(app, login, two_cooperative_order):
    world = two_cooperative_order
    seller = as_user(app, login, world["tea_seller"])
    seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "sub_order.pay"))
    assert entry.actor_id == world["tea_seller"].id and entry.details["to_status"] == "paid"
    assert db.session.scalar(select(OrderEvent).where(OrderEvent.kind == "pay")).actor_id == world["tea_seller"].id
    entry.reason = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("carrier, tracking, field", [
    ("", "SF1234567890", "carrier"), ("dhl-moon", "SF1234567890", "carrier"),
    ("sf", "", "tracking_number"), ("sf", "12", "tracking_number"), ("sf", "<script>", "tracking_number"),
])
def test_shipping_needs_a_known_carrier_and_a_tracking_number(app, login, two_cooperative_order, carrier,
                                                              tracking, field):
    world = two_cooperative_order
    seller = as_user(app, login, world["tea_seller"])
    seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment")
    response = seller.post(f"/seller/orders/{world['tea_part']}/ship",
                           data={"carrier": carrier, "tracking_number": tracking})
    assert response.status_code == 400 and f'id="{field}-errors"' in response.get_data(as_text=True)
    assert fresh(Order, world["order"].id).sub_orders[0].tracking_number is None


def test_an_unpaid_parcel_cannot_ship_and_a_shipped_one_cannot_ship_again(app, login, two_cooperative_order):
    world = two_cooperative_order
    seller = as_user(app, login, world["tea_seller"])
    ship = {"carrier": "sf", "tracking_number": "SF1234567890"}
    response = seller.post(f"/seller/orders/{world['tea_part']}/ship", data=ship)
    assert response.status_code == 409 and "Confirm the payment before shipping" in response.get_data(as_text=True)
    seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment")
    assert seller.post(f"/seller/orders/{world['tea_part']}/ship", data=ship).status_code == 302
    again = seller.post(f"/seller/orders/{world['tea_part']}/ship", data={**ship, "tracking_number": "SF999999999"})
    assert again.status_code == 409
    assert "already" in seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment",
                                    follow_redirects=True).get_data(as_text=True)
    part = next(s for s in fresh(Order, world["order"].id).sub_orders if s.id == world["tea_part"])
    assert part.tracking_number == "SF1234567890"


def test_the_shopper_cancels_before_shipping_and_gets_the_stock_and_money_back(app, login, two_cooperative_order,
                                                                              outbox):
    world = two_cooperative_order
    seller = as_user(app, login, world["tea_seller"])
    seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment")
    shopper = as_user(app, login, world["shopper"])
    assert shopper.post(f"/orders/{world['order'].id}/cancel").status_code == 302
    order = fresh(Order, world["order"].id)
    statuses = {sub.id: sub.status for sub in order.sub_orders}
    assert statuses == {world["tea_part"]: OrderStatus.REFUNDED, world["rice_part"]: OrderStatus.CANCELLED}
    assert order.status == OrderStatus.REFUNDED
    [refund] = db.session.scalars(select(Refund)).all()
    assert (refund.status, refund.amount_minor) == (RefundStatus.MANUAL, 7600 + 1000)
    assert (fresh(Listing, world["tea"].id).stock, fresh(Listing, world["rice"].id).stock) == (5, 5)
    subjects = [m["Subject"] for m in outbox()]
    assert any(s.startswith("Refund") for s in subjects)


def test_an_order_cannot_be_cancelled_once_a_parcel_has_shipped(app, login, two_cooperative_order):
    world = two_cooperative_order
    seller = as_user(app, login, world["tea_seller"])
    seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment")
    seller.post(f"/seller/orders/{world['tea_part']}/ship", data={"carrier": "sf", "tracking_number": "SF1234567890"})
    shopper = as_user(app, login, world["shopper"])
    page = shopper.post(f"/orders/{world['order'].id}/cancel", follow_redirects=True).get_data(as_text=True)
    assert "already shipped" in page
    assert fresh(Order, world["order"].id).status == OrderStatus.PENDING_PAYMENT
    assert "Cancel this order" not in page


def test_a_seller_cancels_its_part_with_a_reason(app, login, two_cooperative_order):
    world = two_cooperative_order
    seller = as_user(app, login, world["rice_seller"])
    response = seller.post(f"/seller/orders/{world['rice_part']}/cancel", data={"reason": ""})
    assert response.status_code == 400 and 'id="reason-errors"' in response.get_data(as_text=True)
    assert seller.post(f"/seller/orders/{world['rice_part']}/cancel",
                       data={"reason": "大米已售完"}).status_code == 302
    order = fresh(Order, world["order"].id)
    assert {sub.id: sub.status for sub in order.sub_orders}[world["rice_part"]] == OrderStatus.CANCELLED
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert fresh(Listing, world["rice"].id).stock == 5
    page = as_user(app, login, world["shopper"]).get(f"/orders/{order.id}").get_data(as_text=True)
    assert "大米已售完" in page


def test_the_packing_list_shows_what_to_pack_and_prints(app, login, two_cooperative_order):
    world = two_cooperative_order
    seller = as_user(app, login, world["tea_seller"])
    seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment")
    page = seller.get(f"/seller/orders/{world['tea_part']}/packing-list").get_data(as_text=True)
    assert "西湖龙井" in page and "周静" in page and "13812345678" in page and "五常大米" not in page
    assert "css/orders.css" in page
    listing = seller.get("/seller/orders?show=to_ship").get_data(as_text=True)
    assert "西湖龙井 × 2" in listing
    everything = seller.get(f"/seller/orders/packing-lists?cooperative_id={world['tea'].cooperative_id}")
    assert everything.status_code == 200 and "西湖龙井" in everything.get_data(as_text=True)


def test_the_transition_table_allows_only_the_order_life():
    S = OrderStatus
    allowed = {(source, target) for sources, target in TRANSITIONS.values() for source in sources}
    assert (S.PENDING_PAYMENT, S.SHIPPED) not in allowed
    assert (S.SHIPPED, S.CANCELLED) not in allowed
    assert (S.COMPLETED, S.PAID) not in allowed
    assert all(source not in (S.REFUNDED,) for source, _target in allowed)
    assert status_from_sub_orders([S.PAID, S.SHIPPED]) == S.PAID
    assert status_from_sub_orders([S.CANCELLED, S.SHIPPED]) == S.SHIPPED
    assert status_from_sub_orders([S.CANCELLED, S.REFUNDED]) == S.REFUNDED
    assert status_from_sub_orders([S.CANCELLED, S.CANCELLED]) == S.CANCELLED
