"""Only a verified cooperative's live listings enter a cart or an order.

A cooperative set back to "pending" (or suspended) keeps its listings in the database, but
they can be neither added, ordered nor paid for; the messages name nothing a shopper may
not see.
"""
import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import ListingStatus
from marketplace.cooperatives.models import CooperativeStatus
from marketplace.extensions import db
from marketplace.orders.models import CartItem, Order, OrderStatus
from tests.orders.test_stripe_payment import order_state
from tests.support.factories_orders import checkout_form, fresh

NOT_SELLING = [CooperativeStatus.PENDING, CooperativeStatus.SUSPENDED]


def set_status(cooperative, status):
    cooperative.status = status
    db.session.commit()


@pytest.mark.parametrize("status", NOT_SELLING)
def test_a_guest_cannot_add_a_listing_of_a_cooperative_that_does_not_sell(client, make_cooperative,
                                                                         make_listing_for_sale, status):
    listing = make_listing_for_sale(make_cooperative(status=status), title="未公开的秘密茶")
    response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    assert response.status_code == 409
    assert "未公开的秘密茶" not in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "cart" not in session


@pytest.mark.parametrize("status", NOT_SELLING)
def test_a_shopper_cannot_add_a_listing_of_a_cooperative_that_does_not_sell(client, login, make_user,
                                                                           make_cooperative, make_listing_for_sale,
                                                                           status):
    login(make_user())
    listing = make_listing_for_sale(make_cooperative(status=status), title="未公开的秘密茶")
    response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    assert response.status_code == 409
    assert "未公开的秘密茶" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CartItem)) == 0


@pytest.mark.parametrize("status", [ListingStatus.DRAFT, ListingStatus.PAUSED])
def test_the_error_never_names_an_unpublished_listing(client, make_listing_for_sale, status):
    listing = make_listing_for_sale(status=status, title="草稿里的新茶")
    response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "草稿里的新茶" not in page and "This product is not for sale at the moment." in page


@pytest.mark.parametrize("status", NOT_SELLING)
def test_checkout_refuses_a_cooperative_set_back_after_the_product_was_added(client, login, make_user,
                                                                            make_cooperative, make_listing_for_sale,
                                                                            status):
    cooperative = make_cooperative()
    listing = make_listing_for_sale(cooperative, stock=5)
    login(make_user())
    assert client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2}).status_code == 302
    set_status(cooperative, status)
    assert "No longer for sale" in client.get("/cart").get_data(as_text=True)
    response = client.post("/checkout", data=checkout_form())
    assert response.status_code in (302, 409)
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0
    assert fresh(type(listing), listing.id).stock == 5


@pytest.mark.parametrize("status", NOT_SELLING)
def test_an_offline_payment_cannot_be_confirmed_once_the_cooperative_stops_selling(app, login, make_user,
                                                                                  make_cooperative,
                                                                                  make_listing_for_sale, place_order,
                                                                                  status):
    seller = make_user()
    cooperative = make_cooperative(seller)
    order = place_order(make_user(), (make_listing_for_sale(cooperative), 1))
    set_status(cooperative, status)
    client = app.test_client()
    login(seller, test_client=client)
    response = client.post(f"/seller/orders/{order.sub_orders[0].id}/confirm-payment", follow_redirects=True)
    assert "cannot sell at the moment" in response.get_data(as_text=True)
    assert order_state(order.id) == OrderStatus.PENDING_PAYMENT


@pytest.mark.parametrize("status", NOT_SELLING)
def test_an_online_payment_cannot_start_once_the_cooperative_stops_selling(app, client, login, make_user,
                                                                          make_cooperative, make_listing_for_sale,
                                                                          put_in_cart, stripe_on, status):
    cooperative = make_cooperative()
    shopper = make_user()
    put_in_cart(shopper, make_listing_for_sale(cooperative), 1)
    login(shopper)
    emulator = app.config["STRIPE_API_BASE"]
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # the first attempt cannot reach Stripe
    assert client.post("/checkout", data=checkout_form(payment_method="stripe")).status_code == 302
    order = db.session.scalars(select(Order)).one()
    app.config["STRIPE_API_BASE"] = emulator
    set_status(cooperative, status)
    response = client.post(f"/orders/{order.id}/pay")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/orders/{order.id}")
    assert "cannot sell at the moment" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert fresh(Order, order.id).payment_url is None
