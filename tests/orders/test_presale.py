"""Harvest pre-sale (预售): capped by the expected yield, ships from its date, badge only once certified."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.catalog.listing_terms import shop_today
from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import OrderStatus, SubOrder
from tests.catalog.test_mass_balance import field_errors
from tests.catalog.test_variants import add_size
from tests.seller.test_listings import listing_form
from tests.support.factories_orders import checkout_form, fresh


def presale_form(cooperative, ships_from, **overrides):
    fields = {"title": "明前新茶 预售", "status": "active", "stock": "100", "weight_grams": "500", "unit": "500 g 罐",
              "presale_ships_from": ships_from.isoformat(), "presale_yield_kg": "60"}
    return listing_form(cooperative, **{**fields, **overrides})


@pytest.fixture
def seller(seller_world, login, client, app):
    world = seller_world()
    login(world["member"])
    with app.test_request_context("/"):
        world["ships_from"] = shop_today() + timedelta(days=20)
    return world


def test_a_presale_cannot_offer_more_than_its_expected_yield(client, seller):
    response = client.post("/seller/listings/new", data=presale_form(seller["cooperative"], seller["ships_from"],
                                                                      stock="121"))  # 60.5 kg > 60 kg
    assert response.status_code == 400 and "expected yield of 60 kg" in field_errors(response, "stock")
    assert db.session.scalar(select(Listing)) is None
    assert client.post("/seller/listings/new", data=presale_form(
        seller["cooperative"], seller["ships_from"], stock="120")).status_code == 302
    listing = db.session.scalar(select(Listing))
    # A second size draws on the same yield.
    response = add_size(client, listing, label="1 kg 礼盒", stock="1", weight_grams="1000")
    assert response.status_code == 400 and "expected yield" in field_errors(response, "new-stock")


@pytest.mark.parametrize("fields, field", [
    ({"presale_ships_from": "2026-13-40"}, "presale_ships_from"),
    ({"presale_yield_kg": ""}, "presale_yield_kg"),
    ({"presale_yield_kg": "-5"}, "presale_yield_kg"),
    ({"presale_yield_kg": "NaN"}, "presale_yield_kg"),
])
def test_bad_presale_terms_are_refused_naming_the_field(client, seller, fields, field):
    response = client.post("/seller/listings/new", data=presale_form(seller["cooperative"], seller["ships_from"],
                                                                      **fields))
    assert response.status_code == 400 and field_errors(response, field)
    assert db.session.scalar(select(Listing)) is None


def test_a_presale_order_ships_only_from_its_date(client, seller, login, make_user):
    client.post("/seller/listings/new", data=presale_form(seller["cooperative"], seller["ships_from"]))
    listing = db.session.scalar(select(Listing))
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'id="presale-notice"' in page
    assert "Pre-sale" in client.get("/").get_data(as_text=True)
    shopper = make_user()
    login(shopper)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2})
    assert client.post("/checkout", data=checkout_form()).status_code == 302
    sub = db.session.scalar(select(SubOrder))
    assert sub.ships_from == seller["ships_from"]
    assert "Pre-sale: ships from" in client.get(f"/orders/{sub.order_id}").get_data(as_text=True)
    login(seller["member"])
    client.post(f"/seller/orders/{sub.id}/confirm-payment")
    response = client.post(f"/seller/orders/{sub.id}/ship", data={"carrier": "sf", "tracking_number": "SF1234567890"})
    assert response.status_code == 409
    assert "ships from" in response.get_data(as_text=True)
    assert fresh(SubOrder, sub.id).status == OrderStatus.PAID
    # The harvest day comes.
    sub = fresh(SubOrder, sub.id)
    sub.ships_from = shop_today_in(client)
    db.session.commit()
    response = client.post(f"/seller/orders/{sub.id}/ship", data={"carrier": "sf", "tracking_number": "SF1234567890"})
    assert response.status_code == 302
    assert fresh(SubOrder, sub.id).status == OrderStatus.SHIPPED


def shop_today_in(client):
    with client.application.test_request_context("/"):
        return shop_today()


def test_the_gi_badge_shows_only_once_the_harvested_batch_is_linked_and_certified(
        client, seller, login, make_gi_authorization, make_batch, make_batch_certificate):
    cooperative = seller["cooperative"]
    make_gi_authorization(cooperative)
    client.post("/seller/listings/new", data=presale_form(cooperative, seller["ships_from"]))
    listing = db.session.scalar(select(Listing))
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'data-badge="certified"' not in page
    # Harvested: the batch is recorded, certified, and linked under a GI title.
    batch = make_batch(cooperative, quantity_kg=200)
    make_batch_certificate(batch)
    response = client.post(f"/seller/listings/{listing.id}/edit", data=presale_form(
        cooperative, seller["ships_from"], title="西湖龙井 明前 预售", batch_id=str(batch.id),
        stock_seen="100"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'data-badge="certified"' in page
