"""Checkout: address checks, shipping per cooperative, one order split by cooperative, amounts from the DB."""
import pytest
from sqlalchemy import select

from marketplace.core.audit import AuditEntry
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.extensions import db
from marketplace.orders.models import CartItem, Order, OrderStatus, ShippingFeeKind, ShippingRule
from tests.support.factories_orders import checkout_form, fresh


def orders():
    db.session.rollback()
    return db.session.scalars(select(Order)).all()


@pytest.fixture
def basket(make_user, make_cooperative, make_listing_for_sale, put_in_cart):
    """A shopper with products of two cooperatives in the cart."""
    shopper = make_user(name="周静")
    tea_coop = make_cooperative(name="龙井合作社")
    rice_coop = make_cooperative(county="230184", name="五常合作社")
    tea = make_listing_for_sale(tea_coop, price_minor=3800, stock=5, title="西湖龙井", weight_grams=250)
    rice = make_listing_for_sale(rice_coop, price_minor=6900, stock=8, title="五常大米", weight_grams=5000)
    put_in_cart(shopper, tea, 2)
    put_in_cart(shopper, rice, 1)
    return shopper, tea, rice


def test_placing_an_order_splits_it_by_cooperative_and_reserves_the_stock(client, login, basket, outbox):
    shopper, tea, rice = basket
    login(shopper)
    response = client.post("/checkout", data=checkout_form())
    assert response.status_code == 302
    [order] = orders()
    assert response.headers["Location"].endswith(f"/orders/{order.id}")
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert sorted((sub.cooperative_id, sub.items_minor) for sub in order.sub_orders) == sorted(
        [(tea.cooperative_id, 7600), (rice.cooperative_id, 6900)])
    # No rule set: the default flat fee (10.00) per cooperative.
    assert order.shipping_minor == 2000 and order.total_minor == 7600 + 6900 + 2000
    assert (fresh(Listing, tea.id).stock, fresh(Listing, rice.id).stock) == (3, 7)
    assert db.session.scalars(select(CartItem)).all() == []
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "order.placed")) is not None
    assert [m["To"] for m in outbox()] == [shopper.email]
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "龙井合作社" in page and "五常合作社" in page and "Waiting for payment" in page


def test_prices_totals_and_fees_sent_by_the_browser_are_ignored(client, login, basket):
    shopper, tea, rice = basket
    login(shopper)
    forged = checkout_form(total="0.01", total_minor=1, price_minor=1, shipping="0", shipping_minor=0,
                           fee=0, amount=1, unit_price_minor=1, items_minor=1)
    client.post("/checkout", data=forged)
    [order] = orders()
    assert order.total_minor == 7600 + 6900 + 2000
    assert {line.unit_price_minor for sub in order.sub_orders for line in sub.lines} == {3800, 6900}


def test_the_shipping_rules_of_each_cooperative_are_applied(client, login, basket):
    shopper, tea, rice = basket
    db.session.add_all([
        ShippingRule(cooperative_id=tea.cooperative_id, kind=ShippingFeeKind.PER_ITEM, fee_minor=300,
                     excluded_provinces=[]),
        ShippingRule(cooperative_id=rice.cooperative_id, kind=ShippingFeeKind.PER_KG, fee_minor=200,
                     excluded_provinces=[]),
    ])
    db.session.commit()
    login(shopper)
    summary = client.get("/checkout").get_data(as_text=True)
    assert "6.00" in summary and "10.00" in summary
    client.post("/checkout", data=checkout_form())
    [order] = orders()
    fees = {sub.cooperative_id: sub.shipping_minor for sub in order.sub_orders}
    assert fees == {tea.cooperative_id: 2 * 300, rice.cooperative_id: 5 * 200}


def test_shipping_is_free_above_the_cooperatives_threshold(client, login, basket):
    shopper, tea, rice = basket
    db.session.add(ShippingRule(cooperative_id=tea.cooperative_id, kind=ShippingFeeKind.FLAT, fee_minor=1500,
                                free_above_minor=7000, excluded_provinces=[]))
    db.session.commit()
    login(shopper)
    client.post("/checkout", data=checkout_form())
    [order] = orders()
    assert {sub.cooperative_id: sub.shipping_minor for sub in order.sub_orders}[tea.cooperative_id] == 0


def test_a_province_the_cooperative_does_not_ship_to_is_refused(client, login, basket):
    shopper, tea, rice = basket
    db.session.add(ShippingRule(cooperative_id=rice.cooperative_id, kind=ShippingFeeKind.FLAT, fee_minor=0,
                                excluded_provinces=["西藏自治区", "浙江省"]))
    db.session.commit()
    login(shopper)
    response = client.post("/checkout", data=checkout_form())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="province-errors"' in page and "五常合作社 does not ship to 浙江省" in page
    assert orders() == [] and fresh(Listing, rice.id).stock == 8
    assert client.post("/checkout", data=checkout_form(province="江苏省", city="南京市",
                                                       county="玄武区")).status_code == 302


@pytest.mark.parametrize("field", ["recipient", "mobile", "province", "city", "county", "street"])
def test_an_address_missing_a_field_is_refused_on_that_field(client, login, basket, field):
    shopper, tea, rice = basket
    login(shopper)
    response = client.post("/checkout", data=checkout_form(**{field: ""}))
    assert response.status_code == 400
    assert f'id="{field}-errors"' in response.get_data(as_text=True)
    assert orders() == [] and fresh(Listing, tea.id).stock == 5


@pytest.mark.parametrize("mobile", ["12812345678", "1381234567", "138123456789", "+8613812345678", "1381234567x",
                                    "23812345678"])
def test_a_mobile_number_that_is_not_one_is_refused(client, login, basket, mobile):
    shopper, tea, rice = basket
    login(shopper)
    response = client.post("/checkout", data=checkout_form(mobile=mobile))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="mobile-errors"' in page and "Enter an 11-digit mainland mobile number" in page
    assert orders() == []


def test_an_unknown_province_or_payment_method_is_refused(client, login, basket):
    shopper, tea, rice = basket
    login(shopper)
    assert 'id="province-errors"' in client.post("/checkout", data=checkout_form(province="Atlantis")).get_data(
        as_text=True)
    response = client.post("/checkout", data=checkout_form(payment_method="stripe"))
    assert response.status_code == 400 and 'id="payment_method-errors"' in response.get_data(as_text=True)
    assert orders() == []


def test_a_cart_line_paused_meanwhile_stops_the_order_with_a_message(client, login, basket):
    shopper, tea, rice = basket
    login(shopper)
    tea.status = ListingStatus.PAUSED
    db.session.commit()
    response = client.post("/checkout", data=checkout_form())
    assert response.status_code == 409
    assert "“西湖龙井” is no longer for sale. Remove it from your cart." in response.get_data(as_text=True)
    assert orders() == [] and fresh(Listing, rice.id).stock == 8


def test_a_basket_is_reserved_entirely_or_not_at_all(client, login, basket):
    shopper, tea, rice = basket
    rice.stock = 0
    db.session.commit()
    login(shopper)
    response = client.post("/checkout", data=checkout_form())
    assert response.status_code == 409
    assert "sold out" in response.get_data(as_text=True)
    assert fresh(Listing, tea.id).stock == 5 and orders() == []


def test_the_last_units_mark_the_listing_sold_out(client, login, make_user, make_listing_for_sale, put_in_cart):
    shopper = make_user()
    listing = make_listing_for_sale(stock=2)
    put_in_cart(shopper, listing, 2)
    login(shopper)
    client.post("/checkout", data=checkout_form())
    listing = fresh(Listing, listing.id)
    assert (listing.stock, listing.status) == (0, ListingStatus.SOLD_OUT)


def test_checkout_needs_a_signed_in_shopper_and_a_cart(client, login, make_user):
    assert client.get("/checkout").status_code == 302
    login(make_user())
    response = client.get("/checkout")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cart")
    response = client.post("/checkout", data=checkout_form())
    assert response.status_code == 400 and "Your cart is empty." in response.get_data(as_text=True)


def test_the_form_is_filled_with_the_last_address(client, login, basket, put_in_cart):
    shopper, tea, rice = basket
    login(shopper)
    client.post("/checkout", data=checkout_form(street="梅家坞 18 号"))
    put_in_cart(shopper, tea, 1)
    assert "梅家坞 18 号" in client.get("/checkout").get_data(as_text=True)
