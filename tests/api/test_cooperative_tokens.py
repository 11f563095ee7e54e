"""A cooperative's systems with a token: stock, price, orders, shipping; every refusal."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.api.models import ApiToken
from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import OrderStatus, SubOrder
from tests.api.conftest import bearer
from tests.support.factories_orders import fresh

PROBLEM = "application/problem+json"


def kind(response) -> str:
    assert response.mimetype == PROBLEM, response.get_data(as_text=True)[:300]
    return response.get_json()["type"].rsplit("/", 1)[-1]


def test_member_makes_a_token_shown_once_and_stored_hashed(app, client, login, seller_world):
    world = seller_world()
    login(world["member"])
    page = client.post("/seller/api-tokens", data={"name": "库存表", "scope": "write"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    secret = html.split('id="token-secret">', 1)[1].split("<", 1)[0]
    assert secret.startswith("trr_")
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash != secret and secret not in stored.token_hash and stored.scope.value == "write"
    assert secret not in client.get("/seller/api-tokens").get_data(as_text=True)  # never shown again
    listed = client.get("/api/v1/cooperative/listings", headers=bearer(secret))
    assert listed.status_code == 200
    assert fresh(ApiToken, stored.id).last_used_at is not None
    assert "库存表" in client.get("/seller/api-tokens").get_data(as_text=True)


@pytest.mark.parametrize("data, field", [({"name": "", "scope": "read"}, "name"),
                                         ({"name": "x", "scope": "admin"}, "scope")])
def test_token_form_refuses_bad_input(client, login, seller_world, data, field):
    world = seller_world()
    login(world["member"])
    assert client.post("/seller/api-tokens", data=data).status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_revoked_token_is_refused_at_once(client, login, coop_world):
    world = coop_world
    login(world["member"])
    token = db.session.scalar(select(ApiToken).where(ApiToken.scope == "write"))
    assert client.post(f"/seller/api-tokens/{token.id}/revoke").status_code == 302
    refused = client.get("/api/v1/cooperative/listings", headers=bearer(world["write"]))
    assert refused.status_code == 401 and kind(refused) == "invalid-token"


def test_outsider_cannot_revoke_another_cooperatives_token(app, client, login, coop_world):
    world = coop_world
    login(world["other_member"])
    token = db.session.scalar(select(ApiToken).where(ApiToken.scope == "write"))
    client.post(f"/seller/api-tokens/{token.id}/revoke")
    assert fresh(ApiToken, token.id).revoked_at is None


def test_token_dies_with_its_makers_membership(client, coop_world):
    from marketplace.cooperatives.models import Membership

    world = coop_world
    membership = db.session.scalar(select(Membership).where(Membership.user_id == world["member"].id))
    db.session.delete(membership)
    db.session.commit()
    assert client.get("/api/v1/cooperative/listings", headers=bearer(world["read"])).status_code == 401


@pytest.mark.parametrize("method, url, body", [
    ("get", "/api/v1/cooperative/listings", None),
    ("patch", "/api/v1/cooperative/listings/{listing}", {"stock": 1}),
    ("get", "/api/v1/cooperative/orders", None),
    ("post", "/api/v1/cooperative/orders/1/shipment", {"carrier": "sf", "tracking_number": "SF1234567"}),
])
def test_every_token_endpoint_refuses_no_token_and_a_wrong_one(client, coop_world, method, url, body):
    url = url.format(listing=coop_world["listing"].id)
    none = getattr(client, method)(url, json=body)
    assert none.status_code == 401 and kind(none) == "missing-token" and "Bearer" in none.headers["WWW-Authenticate"]
    wrong = getattr(client, method)(url, json=body, headers=bearer("trr_" + "x" * 43))
    assert wrong.status_code == 401 and kind(wrong) == "invalid-token"
    assert fresh(Listing, coop_world["listing"].id).stock == 20


@pytest.mark.parametrize("method, url, body", [
    ("get", "/api/v1/cooperative/listings/{listing}", None),
    ("patch", "/api/v1/cooperative/listings/{listing}", {"stock": 1}),
    ("get", "/api/v1/cooperative/orders", None),
    ("post", "/api/v1/cooperative/orders/1/shipment", {"carrier": "sf", "tracking_number": "SF1234567"}),
])
def test_every_token_endpoint_refuses_a_revoked_token(client, coop_world, method, url, body):
    from marketplace.api.tokens import revoke_token

    token = db.session.scalar(select(ApiToken).where(ApiToken.scope == "write"))
    revoke_token(coop_world["member"], token.id, cooperative_id=coop_world["cooperative"].id)
    response = getattr(client, method)(url.format(listing=coop_world["listing"].id), json=body,
                                       headers=bearer(coop_world["write"]))
    assert response.status_code == 401 and kind(response) == "invalid-token"


def test_read_token_cannot_write(client, coop_world):
    response = client.patch(f"/api/v1/cooperative/listings/{coop_world['listing'].id}", json={"stock": 1},
                            headers=bearer(coop_world["read"]))
    assert response.status_code == 403 and kind(response) == "insufficient-scope"
    assert fresh(Listing, coop_world["listing"].id).stock == 20
    shipment = client.post("/api/v1/cooperative/orders/1/shipment", json={"carrier": "sf", "tracking_number": "SF1234567"},
                           headers=bearer(coop_world["read"]))
    assert shipment.status_code == 403 and kind(shipment) == "insufficient-scope"


def test_stock_and_price_update_through_the_seller_service(client, coop_world):
    listing = coop_world["listing"]
    response = client.patch(f"/api/v1/cooperative/listings/{listing.id}", json={"stock": 7, "price_minor": 6200},
                            headers=bearer(coop_world["write"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["variants"][0] == {
        "key": "default", "unit": listing.unit, "price_minor": 6200, "currency": "CNY", "stock": 7,
        "weight_grams": 250, "available": True}
    row = fresh(Listing, listing.id)
    assert (row.stock, row.price_minor) == (7, 6200)
    read = client.get(f"/api/v1/cooperative/listings/{listing.id}", headers=bearer(coop_world["read"]))
    assert read.get_json()["stock"] == 7


def test_stock_seen_keeps_orders_placed_in_between(client, coop_world):
    listing = coop_world["listing"]
    listing.variants[0].stock = listing.stock = 17  # three units sold since the stock sheet read 20
    db.session.commit()
    response = client.patch(f"/api/v1/cooperative/listings/{listing.id}", json={"stock": 25, "stock_seen": 20},
                            headers=bearer(coop_world["write"]))
    assert response.status_code == 200 and fresh(Listing, listing.id).stock == 22


def test_price_alone_leaves_stock_as_it_is(client, coop_world):
    listing = coop_world["listing"]
    response = client.patch(f"/api/v1/cooperative/listings/{listing.id}", json={"price_minor": 100},
                            headers=bearer(coop_world["write"]))
    assert response.status_code == 200 and fresh(Listing, listing.id).stock == 20


def test_another_cooperatives_listing_is_not_found(client, coop_world):
    other = coop_world["other_listing"]
    for method, body in (("get", None), ("patch", {"stock": 0})):
        response = getattr(client, method)(f"/api/v1/cooperative/listings/{other.id}", json=body,
                                           headers=bearer(coop_world["write"]))
        assert response.status_code == 404 and kind(response) == "not-found"
    assert fresh(Listing, other.id).stock == 5


@pytest.mark.parametrize("body, field", [
    ({"stock": -1}, "stock"), ({"stock": "5"}, "stock"), ({"stock": 1.5}, "stock"),
    ({"price_minor": 0}, "price_minor"), ({"price_minor": "12.50"}, "price_minor"),
    ({"colour": "red", "stock": 1}, "colour"), ({}, "_schema"), ({"stock_seen": 3, "price_minor": 100}, "stock_seen"),
])
def test_bad_stock_or_price_is_refused_by_name(client, coop_world, body, field):
    response = client.patch(f"/api/v1/cooperative/listings/{coop_world['listing'].id}", json=body,
                            headers=bearer(coop_world["write"]))
    assert response.status_code == 422 and kind(response) == "invalid-input"
    assert field in response.get_json()["errors"]["json"]
    assert fresh(Listing, coop_world["listing"].id).stock == 20


def test_body_that_is_not_json_is_refused(client, coop_world):
    response = client.patch(f"/api/v1/cooperative/listings/{coop_world['listing'].id}", data="stock=3",
                            headers=bearer(coop_world["write"]))
    assert response.status_code in (400, 415, 422) and response.mimetype == PROBLEM


def test_mass_balance_holds_through_the_api(client, coop_world, make_batch, make_listing):
    batch = make_batch(coop_world["cooperative"], quantity_kg=10)
    listing = make_listing(coop_world["cooperative"], batch=batch, weight_grams=1000, stock=5, status="draft")
    response = client.patch(f"/api/v1/cooperative/listings/{listing.id}", json={"stock": 11},
                            headers=bearer(coop_world["write"]))
    assert response.status_code == 422 and "stock" in response.get_json()["errors"]["json"]
    assert fresh(Listing, listing.id).stock == 5


def test_protected_name_rule_holds_when_a_sold_out_listing_restocks(client, coop_world, make_listing):
    listing = make_listing(coop_world["cooperative"], title="西湖龙井 特级", status="sold_out", stock=0)
    response = client.patch(f"/api/v1/cooperative/listings/{listing.id}", json={"stock": 5},
                            headers=bearer(coop_world["write"]))
    assert response.status_code == 422 and "title" in response.get_json()["errors"]["json"]
    assert fresh(Listing, listing.id).stock == 0


@pytest.fixture
def parcel(coop_world, make_user, put_in_cart, place_order):
    shopper = make_user(name="周静")
    order = place_order(shopper, (coop_world["listing"], 2))
    return order.sub_orders[0].id


def _pay(sub_id):
    sub = db.session.get(SubOrder, sub_id)
    sub.status = OrderStatus.PAID
    db.session.commit()


def test_orders_to_fulfil_and_shipping(client, coop_world, parcel):
    _pay(parcel)
    listed = client.get("/api/v1/cooperative/orders", headers=bearer(coop_world["read"])).get_json()
    assert [item["id"] for item in listed["items"]] == [parcel]
    assert listed["items"][0]["ship_to"]["province"] == "浙江省"
    shipped = client.post(f"/api/v1/cooperative/orders/{parcel}/shipment",
                          json={"carrier": "sf", "tracking_number": "sf 1234 5678"}, headers=bearer(coop_world["write"]))
    assert shipped.status_code == 200, shipped.get_data(as_text=True)
    assert shipped.get_json()["tracking_number"] == "SF12345678" and shipped.get_json()["status"] == "shipped"
    again = client.post(f"/api/v1/cooperative/orders/{parcel}/shipment",
                        json={"carrier": "sf", "tracking_number": "SF99999999"}, headers=bearer(coop_world["write"]))
    assert again.status_code == 409 and kind(again) == "conflict"


def test_unpaid_parcel_cannot_ship(client, coop_world, parcel):
    response = client.post(f"/api/v1/cooperative/orders/{parcel}/shipment",
                           json={"carrier": "sf", "tracking_number": "SF12345678"}, headers=bearer(coop_world["write"]))
    assert response.status_code == 409 and fresh(SubOrder, parcel).status == OrderStatus.PENDING_PAYMENT


def test_another_cooperatives_order_is_not_found(client, coop_world, parcel, make_token):
    _pay(parcel)
    outsider = make_token(coop_world["other_member"], coop_world["other"], scope="write")
    response = client.post(f"/api/v1/cooperative/orders/{parcel}/shipment",
                           json={"carrier": "sf", "tracking_number": "SF12345678"}, headers=bearer(outsider))
    assert response.status_code == 404 and kind(response) == "not-found"
    assert client.get("/api/v1/cooperative/orders?status=all", headers=bearer(outsider)).get_json()["items"] == []
    assert fresh(SubOrder, parcel).status == OrderStatus.PAID


@pytest.mark.parametrize("body, field", [({"carrier": "pigeon", "tracking_number": "SF12345678"}, "carrier"),
                                         ({"carrier": "sf"}, "tracking_number"),
                                         ({"carrier": "sf", "tracking_number": "短"}, "tracking_number")])
def test_bad_shipment_is_refused_by_name(client, coop_world, parcel, body, field):
    _pay(parcel)
    response = client.post(f"/api/v1/cooperative/orders/{parcel}/shipment", json=body,
                           headers=bearer(coop_world["write"]))
    assert response.status_code == 422 and field in response.get_json()["errors"]["json"]
    assert fresh(SubOrder, parcel).status == OrderStatus.PAID


def test_bad_order_filter_is_refused(client, coop_world):
    response = client.get("/api/v1/cooperative/orders?status=everything&per_page=0", headers=bearer(coop_world["read"]))
    assert response.status_code == 422 and set(response.get_json()["errors"]["query"]) == {"status", "per_page"}


def test_calls_are_limited_per_token(app, client, coop_world):
    app.config["API_TOKEN_RATE_LIMIT"] = "2 per minute"
    for _ in range(2):
        assert client.get("/api/v1/cooperative/listings", headers=bearer(coop_world["read"])).status_code == 200
    assert client.get("/api/v1/cooperative/listings", headers=bearer(coop_world["read"])).status_code == 429
    # Another token of the same address has its own count.
    assert client.get("/api/v1/cooperative/listings", headers=bearer(coop_world["write"])).status_code == 200


def test_cookie_session_without_token_gets_csrf_check_and_no_access(app, client, login, coop_world):
    login(coop_world["member"])
    app.config["WTF_CSRF_ENABLED"] = True
    cookie_only = client.patch(f"/api/v1/cooperative/listings/{coop_world['listing'].id}", json={"stock": 1})
    assert cookie_only.status_code == 400 and kind(cookie_only) == "csrf-failed"
    with_token = client.patch(f"/api/v1/cooperative/listings/{coop_world['listing'].id}", json={"stock": 1},
                              headers=bearer(coop_world["write"]))
    assert with_token.status_code == 200
    assert "Access-Control-Allow-Origin" not in with_token.headers
