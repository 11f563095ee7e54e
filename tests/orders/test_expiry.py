"""Unpaid orders give their stock back when the reservation runs out: lazily, by command, once."""
import threading
from datetime import timedelta

from sqlalchemy import select

from marketplace.catalog.models import Listing, ListingStatus
from marketplace.extensions import db
from marketplace.orders.models import CancelReason, Order, OrderEvent, OrderStatus
from marketplace.core.timeutil import utcnow
from tests.support.factories_orders import checkout_form, fresh


def run_out(order):
    row = fresh(Order, order.id)
    row.reserved_until = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_an_offline_order_holds_its_stock_for_the_offline_reservation(app, make_user, make_listing_for_sale,
                                                                      place_order):
    app.config["ORDER_OFFLINE_RESERVATION_MINUTES"] = 120
    order = place_order(make_user(), (make_listing_for_sale(), 1))
    held = (order.reserved_until - order.placed_at).total_seconds()
    assert 119 * 60 < held <= 120 * 60


def test_reading_the_order_applies_the_expiry(client, login, make_user, make_listing_for_sale, place_order, outbox):
    shopper = make_user()
    listing = make_listing_for_sale(stock=2)
    order = place_order(shopper, (listing, 2))
    assert fresh(Listing, listing.id).status == ListingStatus.SOLD_OUT
    run_out(order)
    login(shopper)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Cancelled" in page and "Reservation ran out" in page
    expired = fresh(Order, order.id)
    assert expired.status == OrderStatus.CANCELLED
    assert all(sub.cancel_reason == CancelReason.EXPIRED and sub.stock_released for sub in expired.sub_orders)
    listing = fresh(Listing, listing.id)
    assert (listing.stock, listing.status) == (2, ListingStatus.ACTIVE)
    assert any("cancelled" in message["Subject"] for message in outbox())


def test_reading_the_stock_in_a_cart_applies_the_expiry(client, make_user, make_listing_for_sale, place_order):
    listing = make_listing_for_sale(stock=1)
    order = place_order(make_user(), (listing, 1))
    run_out(order)
    response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    assert response.status_code == 302
    assert fresh(Order, order.id).status == OrderStatus.CANCELLED


def test_a_paused_listing_stays_paused_when_stock_comes_back(make_user, make_listing_for_sale, place_order, in_request):
    from marketplace.orders.services.expiry import release_expired_reservations

    listing = make_listing_for_sale(stock=3)
    order = place_order(make_user(), (listing, 1))
    listing = fresh(Listing, listing.id)
    listing.status = ListingStatus.PAUSED
    db.session.commit()
    run_out(order)
    assert in_request(release_expired_reservations) == 1
    listing = fresh(Listing, listing.id)
    assert (listing.stock, listing.status) == (3, ListingStatus.PAUSED)


def test_the_command_expires_every_due_order(runner, make_user, make_listing_for_sale, place_order):
    listing = make_listing_for_sale(stock=5)
    due = [place_order(make_user(), (listing, 1)) for _ in range(3)]
    kept = place_order(make_user(), (listing, 1))
    for order in due:
        run_out(order)
    result = runner.invoke(args=["orders", "expire"])
    assert result.exit_code == 0, result.output
    assert "Expired 3 unpaid order(s)" in result.output
    assert [fresh(Order, order.id).status for order in due] == [OrderStatus.CANCELLED] * 3
    assert fresh(Order, kept.id).status == OrderStatus.PENDING_PAYMENT
    assert fresh(Listing, listing.id).stock == 4
    assert "Expired 0" in runner.invoke(args=["orders", "expire"]).output


def test_two_readers_expiring_the_same_order_at_once_release_its_stock_once(app, make_user, make_listing_for_sale,
                                                                           place_order):
    from marketplace.orders.services.expiry import expire_order

    listing = make_listing_for_sale(stock=4)
    order = place_order(make_user(), (listing, 3))
    run_out(order)
    order_id, listing_id = order.id, listing.id
    db.session.remove()
    start = threading.Barrier(6)
    results = []

    def expire():
        with app.app_context(), app.test_request_context("/"):
            start.wait(timeout=30)
            results.append(expire_order(order_id))
            db.session.remove()

    threads = [threading.Thread(target=expire) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [False] * 5 + [True]
    assert fresh(Listing, listing_id).stock == 4
    kinds = db.session.scalars(select(OrderEvent.kind).where(OrderEvent.order_id == order_id)).all()
    assert kinds.count("expire") == 1


def test_a_paid_part_of_an_offline_order_is_kept_when_the_rest_expires(app, client, login, make_user,
                                                                      make_cooperative, make_listing_for_sale,
                                                                      place_order):
    seller = make_user()
    tea = make_listing_for_sale(make_cooperative(seller), stock=3)
    rice = make_listing_for_sale(make_cooperative(county="230184"), stock=3)
    order = place_order(make_user(), (tea, 1), (rice, 1))
    tea_part = next(sub for sub in order.sub_orders if sub.cooperative_id == tea.cooperative_id)
    login(seller)
    assert client.post(f"/seller/orders/{tea_part.id}/confirm-payment").status_code == 302
    run_out(order)
    client.get("/seller/orders")
    after = fresh(Order, order.id)
    assert after.status == OrderStatus.PAID
    assert {sub.cooperative_id: sub.status for sub in after.sub_orders} == {
        tea.cooperative_id: OrderStatus.PAID, rice.cooperative_id: OrderStatus.CANCELLED}
    assert (fresh(Listing, tea.id).stock, fresh(Listing, rice.id).stock) == (2, 3)


def test_checkout_releases_expired_reservations_before_saying_sold_out(client, login, make_user,
                                                                       make_listing_for_sale, place_order, put_in_cart):
    listing = make_listing_for_sale(stock=1)
    stale = place_order(make_user(), (listing, 1))
    run_out(stale)
    shopper = make_user()
    put_in_cart(shopper, listing, 1)
    login(shopper)
    assert client.post("/checkout", data=checkout_form()).status_code == 302
    assert fresh(Order, stale.id).status == OrderStatus.CANCELLED
    assert fresh(Listing, listing.id).stock == 0
