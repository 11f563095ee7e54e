"""Mobile numbers of mainland China, Hong Kong, Macao and Taiwan at checkout, kept in E.164."""
import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.orders.test_checkout import basket  # noqa: F401  (the fixture)
from tests.support.factories_orders import checkout_form


def placed_mobiles() -> list[str]:
    db.session.rollback()
    return [order.mobile for order in db.session.scalars(select(Order))]


@pytest.mark.parametrize(("region", "typed", "stored"), [
    ("CN", "138 1234 5678", "+8613812345678"),
    ("CN", "+86 138-1234-5678", "+8613812345678"),
    ("HK", "9123 4567", "+85291234567"),
    ("CN", "+852 9123 4567", "+85291234567"),   # the typed country code wins over the choice
    ("MO", "6612 3456", "+85366123456"),
    ("TW", "0912 345 678", "+886912345678"),
    ("TW", "+886 912 345 678", "+886912345678"),
])
def test_a_mobile_of_each_region_is_accepted_and_stored_in_e164(client, login, basket, region, typed, stored):  # noqa: F811
    shopper, _tea, _rice = basket
    login(shopper)
    response = client.post("/checkout", data=checkout_form(mobile=typed, mobile_region=region))
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert placed_mobiles() == [stored]


@pytest.mark.parametrize(("region", "typed", "message"), [
    ("HK", "2345 6789", "This is not a mobile number"),           # a Hong Kong landline
    ("HK", "13812345678", "does not exist in Hong Kong"),          # a mainland number read in Hong Kong
    ("CN", "+1 650 253 0000", "mainland China, Hong Kong, Macao or Taiwan"),
    ("CN", "+81 90 1234 5678", "mainland China, Hong Kong, Macao or Taiwan"),
    ("TW", "12345", "does not exist in Taiwan"),
    ("CN", "not a number", "This is not a phone number"),
    ("CN", "1" * 31, "Enter it like"),
    ("XX", "13812345678", "Choose the country code"),
])
def test_a_wrong_mobile_is_refused_on_the_mobile_field_and_nothing_is_ordered(client, login, basket,  # noqa: F811
                                                                              region, typed, message):
    shopper, tea, _rice = basket
    login(shopper)
    response = client.post("/checkout", data=checkout_form(mobile=typed, mobile_region=region))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="mobile-errors"' in page and message in page
    assert placed_mobiles() == []


def test_the_checkout_form_offers_the_four_country_codes(client, login, basket):  # noqa: F811
    shopper, _tea, _rice = basket
    login(shopper)
    page = client.get("/checkout").get_data(as_text=True)
    for code in ("+86", "+852", "+853", "+886"):
        assert f">{code} " in page


def test_the_order_page_shows_the_number_as_people_read_it(client, login, basket):  # noqa: F811
    shopper, _tea, _rice = basket
    login(shopper)
    response = client.post("/checkout", data=checkout_form(mobile="91234567", mobile_region="HK"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "+852 9123 4567" in page
