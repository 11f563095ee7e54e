"""Delivery: fee and estimate on the product page, tracking links, pickup points, excluded regions."""
import pytest
from sqlalchemy import select

from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import Order, PickupPoint, ShippingFeeKind, ShippingRule
from tests.catalog.test_mass_balance import field_errors
from tests.support.factories_orders import checkout_form

POINT = {"name": "峪口镇村级服务站", "province": "北京市", "city": "北京市", "county": "平谷区",
         "street": "西营村村委会旁", "hours": "每天 8:00–18:00"}


@pytest.fixture
def peaches(make_user, make_cooperative, make_listing_for_sale):
    seller = make_user(name="桃农")
    cooperative = make_cooperative(seller, county="330106", name="桃农合作社")
    listing = make_listing_for_sale(cooperative, price_minor=7900, stock=20, title="鲜桃 3kg", unit="3 kg 箱",
                                    weight_grams=3000)
    db.session.add(ShippingRule(cooperative_id=cooperative.id, kind=ShippingFeeKind.PER_KG, fee_minor=300,
                                excluded_provinces=["台湾省"]))
    listing.cold_chain, listing.ship_weekdays = True, "012"
    listing.excluded_provinces = ["新疆维吾尔自治区"]
    db.session.commit()
    return {"seller": seller, "cooperative": cooperative, "listing": listing}


def test_the_product_page_quotes_the_fee_and_estimate_for_a_chosen_province(client, peaches):
    listing = peaches["listing"]
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'id="delivery-ask"' in page and "Mon, Tue, Wed" in page
    page = client.get(f"/listings/{listing.id}?province=上海市").get_data(as_text=True)
    assert 'id="delivery-fee"' in page and "9.00" in page  # 3 started kg × 3.00
    assert 'id="delivery-estimate"' in page
    refused = client.get(f"/listings/{listing.id}?province=新疆维吾尔自治区").get_data(as_text=True)
    assert 'id="delivery-refused"' in refused and "cold chain" in refused
    refused = client.get(f"/listings/{listing.id}?province=台湾省").get_data(as_text=True)
    assert 'id="delivery-refused"' in refused and "does not ship to" in refused
    nonsense = client.get(f"/listings/{listing.id}?province=<script>&size=abc")
    assert nonsense.status_code == 200 and 'id="delivery-ask"' in nonsense.get_data(as_text=True)


def test_a_signed_in_shopper_sees_the_fee_for_the_saved_address(client, peaches, login, make_user, place_order):
    shopper = make_user()
    place_order(shopper, (peaches["listing"], 1), province="上海市")
    login(shopper)
    page = client.get(f"/listings/{peaches['listing'].id}").get_data(as_text=True)
    assert 'id="delivery-fee"' in page and "9.00" in page


def test_an_excluded_province_is_refused_at_checkout_naming_the_field(client, peaches, login, make_user,
                                                                      put_in_cart):
    shopper = make_user()
    put_in_cart(shopper, peaches["listing"], 1)
    login(shopper)
    response = client.post("/checkout", data=checkout_form(province="新疆维吾尔自治区"))
    assert response.status_code == 400
    assert "is not sent to" in field_errors(response, "province")
    assert db.session.scalar(select(Order)) is None


@pytest.mark.parametrize("carrier, linked", [("sf", True), ("yunda", True), ("jt", False), ("other", False)])
def test_tracking_numbers_link_to_the_carriers_page_when_it_is_known(client, peaches, login, make_user,
                                                                     place_order, carrier, linked):
    shopper = make_user()
    order = place_order(shopper, (peaches["listing"], 1))
    sub = order.sub_orders[0]
    db.session.get(Listing, peaches["listing"].id).ship_weekdays = ""  # ships any day
    db.session.commit()
    login(peaches["seller"])
    client.post(f"/seller/orders/{sub.id}/confirm-payment")
    assert client.post(f"/seller/orders/{sub.id}/ship",
                       data={"carrier": carrier, "tracking_number": "SF1234567890"}).status_code == 302
    login(shopper)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "SF1234567890" in page
    assert (f'id="tracking-link-{sub.id}"' in page) is linked
    if carrier == "sf":
        assert "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1234567890" in page


def test_a_cooperative_defines_a_pickup_point_and_a_shopper_collects_there(client, peaches, login, make_user,
                                                                            put_in_cart):
    login(peaches["seller"])
    assert client.post("/seller/pickup-points", data=POINT).status_code == 302
    point = db.session.scalar(select(PickupPoint))
    shopper = make_user()
    put_in_cart(shopper, peaches["listing"], 2)
    login(shopper)
    page = client.get("/checkout").get_data(as_text=True)
    assert "峪口镇村级服务站" in page
    response = client.post("/checkout", data={"recipient": "周静", "mobile": "13812345678", "delivery": "pickup",
                                              "pickup_point_id": str(point.id), "payment_method": "bank_transfer"})
    assert response.status_code == 302
    order = db.session.scalar(select(Order))
    assert order.pickup_point_id == point.id and order.shipping_minor == 0 and order.total_minor == 15800
    assert (order.province, order.county) == ("北京市", "平谷区") and "峪口镇村级服务站" in order.street
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Collect at pickup point" in page and "每天 8:00–18:00" in page


def test_a_pickup_point_of_another_cooperative_or_none_is_refused(client, peaches, login, make_user,
                                                                  make_cooperative, put_in_cart):
    other = make_cooperative(county="230184")
    foreign = PickupPoint(cooperative_id=other.id, active=True, **POINT)
    db.session.add(foreign)
    db.session.commit()
    shopper = make_user()
    put_in_cart(shopper, peaches["listing"], 1)
    login(shopper)
    base = {"recipient": "周静", "mobile": "13812345678", "delivery": "pickup", "payment_method": "bank_transfer"}
    response = client.post("/checkout", data={**base, "pickup_point_id": str(foreign.id)})
    assert response.status_code == 400 and "Choose a pickup point" in field_errors(response, "pickup_point_id")
    response = client.post("/checkout", data=base)
    assert response.status_code == 400 and field_errors(response, "pickup_point_id")
    assert db.session.scalar(select(Order)) is None


def test_pickup_points_are_the_cooperatives_own(client, peaches, login, make_user):
    login(peaches["seller"])
    client.post("/seller/pickup-points", data=POINT)
    point = db.session.scalar(select(PickupPoint))
    outsider = make_user()
    login(outsider)
    assert client.post(f"/seller/pickup-points/{point.id}/close").status_code in (403, 404)
    response = client.post("/seller/pickup-points", data={**POINT, "province": "火星"})
    assert response.status_code in (403, 404)
    login(peaches["seller"])
    response = client.post("/seller/pickup-points", data={**POINT, "province": "火星"})
    assert response.status_code == 400 and field_errors(response, "province")
    db.session.rollback()
    assert db.session.get(PickupPoint, point.id).active


def test_a_listing_with_ship_days_is_shipped_on_those_days_only(client, peaches, login, make_user, place_order):
    from marketplace.catalog.listing_terms import shop_today

    order = place_order(make_user(), (peaches["listing"], 1))
    sub = order.sub_orders[0]
    with client.application.test_request_context("/"):
        today = shop_today().weekday()
    listing = db.session.get(Listing, peaches["listing"].id)
    listing.ship_weekdays = str((today + 1) % 7)  # tomorrow only
    db.session.commit()
    login(peaches["seller"])
    client.post(f"/seller/orders/{sub.id}/confirm-payment")
    form = {"carrier": "sf", "tracking_number": "SF1234567890"}
    response = client.post(f"/seller/orders/{sub.id}/ship", data=form)
    assert response.status_code == 409 and "only" in response.get_data(as_text=True)
    listing = db.session.get(Listing, peaches["listing"].id)
    listing.ship_weekdays = str(today)
    db.session.commit()
    assert client.post(f"/seller/orders/{sub.id}/ship", data=form).status_code == 302
