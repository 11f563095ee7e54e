"""Nobody sees or changes another's cart, order or parcel: every URL, every intruder."""
import pytest

from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderStatus, ShippingRule
from sqlalchemy import func, select
from tests.support.factories_orders import fresh

BUYER_URLS = [
    ("GET", "/orders/{order}"),
    ("GET", "/orders/{order}/payment"),
    ("POST", "/orders/{order}/pay"),
    ("POST", "/orders/{order}/cancel"),
    ("POST", "/orders/{order}/parcels/{part}/received"),
]
SELLER_URLS = [
    ("GET", "/seller/orders/{part}"),
    ("GET", "/seller/orders/{part}/packing-list"),
    ("GET", "/seller/orders/packing-lists?cooperative_id={cooperative}"),
    ("POST", "/seller/orders/{part}/confirm-payment"),
    ("POST", "/seller/orders/{part}/ship"),
    ("POST", "/seller/orders/{part}/deliver"),
    ("POST", "/seller/orders/{part}/cancel"),
    ("GET", "/seller/shipping?cooperative_id={cooperative}"),
    ("POST", "/seller/shipping?cooperative_id={cooperative}"),
    ("GET", "/seller/orders?cooperative_id={cooperative}"),
]
INTRUDERS = ["anonymous", "other buyer", "seller of another cooperative"]


@pytest.fixture
def world(app, make_user, make_cooperative, make_listing_for_sale, place_order, login):
    seller, shopper = make_user(), make_user()
    cooperative = make_cooperative(seller)
    listing = make_listing_for_sale(cooperative, stock=5, title="秘密的茶")
    order = place_order(shopper, (listing, 2), recipient="收件人甲", mobile="13900001111")
    part = order.sub_orders[0]
    seller_client = app.test_client()
    login(seller, test_client=seller_client)
    seller_client.post(f"/seller/orders/{part.id}/confirm-payment")
    seller_client.post(f"/seller/orders/{part.id}/ship", data={"carrier": "sf", "tracking_number": "SF1234567890"})
    intruders = {
        "anonymous": None,
        "other buyer": make_user(),
        "seller of another cooperative": make_cooperative(make_user(), county="230184").memberships[0].user,
    }
    return {"order": order.id, "part": part.id, "cooperative": cooperative.id, "listing": listing.id,
            "intruders": intruders}


def client_for(app, login, user):
    client = app.test_client()
    if user is not None:
        login(user, test_client=client)
    return client


def snapshot(world):
    order = fresh(Order, world["order"])
    part = order.sub_orders[0]
    rules = db.session.scalar(select(func.count()).select_from(ShippingRule))
    return (order.status, part.status, part.tracking_number, fresh(Listing, world["listing"]).stock, rules)


FORM = {"carrier": "ems", "tracking_number": "EE999999999CN", "reason": "x", "kind": "flat", "fee": "0"}


@pytest.mark.parametrize("method, url", BUYER_URLS + SELLER_URLS)
@pytest.mark.parametrize("intruder", INTRUDERS)
def test_an_intruder_is_refused_and_changes_nothing(app, login, world, method, url, intruder):
    before = snapshot(world)
    client = client_for(app, login, world["intruders"][intruder])
    path = url.format(**world)
    response = client.post(path, data=FORM) if method == "POST" else client.get(path)
    if intruder == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code in (403, 404), (response.status_code, path)
    page = response.get_data(as_text=True)
    assert "收件人甲" not in page and "13900001111" not in page and "秘密的茶" not in page
    assert snapshot(world) == before


def test_the_owners_can_reach_their_pages(app, login, world, make_user):
    from marketplace.accounts.models import User

    shopper = db.session.get(Order, world["order"]).buyer
    assert client_for(app, login, shopper).get(f"/orders/{world['order']}").status_code == 200
    seller = db.session.scalar(select(User).join(User.memberships).where(
        User.memberships.any(cooperative_id=world["cooperative"])))
    seller_client = client_for(app, login, seller)
    assert seller_client.get(f"/seller/orders/{world['part']}").status_code == 200
    assert seller_client.get(f"/seller/orders/{world['part']}/packing-list").status_code == 200
    assert fresh(Order, world["order"]).status == OrderStatus.SHIPPED


def test_each_cart_page_shows_only_its_own_cart(app, login, world, put_in_cart, make_user):
    owner = make_user()
    listing = db.session.get(Listing, world["listing"])
    put_in_cart(owner, listing, 1)
    for intruder in INTRUDERS:
        page = client_for(app, login, world["intruders"][intruder]).get("/cart").get_data(as_text=True)
        assert "秘密的茶" not in page
    assert "秘密的茶" in client_for(app, login, owner).get("/cart").get_data(as_text=True)


def test_seller_lists_show_only_their_cooperatives_orders(app, login, world):
    intruder = world["intruders"]["seller of another cooperative"]
    page = client_for(app, login, intruder).get("/seller/orders?show=all").get_data(as_text=True)
    assert "秘密的茶" not in page and "Nothing here right now." in page
    other = client_for(app, login, world["intruders"]["other buyer"]).get("/orders").get_data(as_text=True)
    assert "秘密的茶" not in other
