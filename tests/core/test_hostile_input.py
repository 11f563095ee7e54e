"""Each hostile input once found to end in a 500 (issue 12): now a clear answer, nothing changed."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Listing
from marketplace.cooperatives.models import Cooperative
from marketplace.extensions import db
from marketplace.orders.models import CartItem
from tests.certification.conftest import as_user, certified_world  # noqa: F401 (fixtures)
from tests.seller.test_listings import listing_form

RTL_OVERRIDE = "\u202e"


def test_a_search_page_number_in_superscript_digits_shows_the_first_page(client):
    response = client.get("/search", query_string={"q": "tea", "page": "²"})
    assert response.status_code == 200


def test_a_thirty_digit_product_number_is_refused_on_its_field_and_adds_nothing(
        client, login, make_user):
    login(make_user())
    response = client.post("/cart/add", data={"listing_id": "1" * 30, "quantity": "1"})
    assert response.status_code < 500
    response = client.post("/cart/add", data={"listing_id": "²", "quantity": "1"})
    assert response.status_code < 500
    assert db.session.scalar(select(func.count(CartItem.id))) == 0


def test_an_anonymous_cart_refuses_a_thirty_digit_product_number(client):
    response = client.post("/cart/add", data={"listing_id": "9" * 30, "quantity": "1"})
    assert response.status_code < 500


@pytest.mark.parametrize("url", ["/seller/orders", "/seller/orders/packing-lists", "/seller/shipping"])
def test_a_cooperative_number_in_superscript_digits_is_simply_not_found(client, login, seller_world, url):
    world = seller_world()
    login(world["member"])
    response = client.get(url, query_string={"cooperative_id": "²"})
    assert response.status_code == 404


def test_a_posted_cooperative_number_in_superscript_digits_is_refused(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    data = listing_form(world["cooperative"])
    data["cooperative_id"] = "²"
    assert client.post("/seller/listings/new", data=data).status_code == 403
    assert db.session.scalar(select(func.count(Listing.id))) == 0


@pytest.mark.parametrize("seen", ["--5", "²", "9" * 30, "-"])
def test_a_mangled_stock_seen_is_read_as_not_given(client, login, seller_world, make_listing, seen):
    world = seller_world()
    login(world["member"])
    listing = make_listing(world["cooperative"], stock=10)
    data = listing_form(world["cooperative"], stock="12", stock_seen=seen, title=listing.title)
    response = client.post(f"/seller/listings/{listing.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).stock == 12


@pytest.mark.parametrize("stock", ["9" * 30, "²", "١٢"])
def test_a_stock_that_is_no_database_number_is_refused_on_its_field(client, login, seller_world, stock):
    world = seller_world()
    login(world["member"])
    response = client.post("/seller/listings/new", data=listing_form(world["cooperative"], stock=stock))
    assert response.status_code == 400
    assert 'id="stock-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Listing.id))) == 0


@pytest.mark.parametrize("dates", [
    {"date_to": "9999-12-31"}, {"date_from": "9999-12-31"}, {"date_from": "0001-01-01"},
    {"date_from": "0001-01-01", "date_to": "9999-12-31"},
])
def test_audit_dates_at_the_ends_of_the_calendar_are_refused_on_their_field(client, login, make_user, dates):
    login(make_user(supervisor=True))
    response = client.get("/official/audit", query_string=dates)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert any(f'id="{name}-errors"' in page for name in dates)


def test_the_audit_service_clamps_dates_it_is_given_directly(app, make_user):
    from datetime import date

    from marketplace.certification.services import audit_log

    supervisor = make_user(supervisor=True)
    page = audit_log.audit_page(supervisor, audit_log.AuditFilters(
        date_from=date(1, 1, 1), date_to=date(9999, 12, 31)))
    assert page.total == 0


@pytest.mark.parametrize("page", ["²", "9" * 30, "-3"])
def test_other_page_numbers_in_query_strings_fall_back_to_the_first(client, login, make_user,
                                                                     make_cooperative, page):
    cooperative = make_cooperative()
    assert client.get(f"/cooperatives/{cooperative.id}", query_string={"page": page}).status_code == 200
    login(make_user(supervisor=True))
    assert client.get("/official/audit", query_string={"page": page}).status_code == 200


def test_nul_and_direction_overrides_never_reach_a_cooperative(client, login, make_user, make_county):
    make_county("330106")
    login(make_user())
    from tests.support.factories import valid_credit_code

    response = client.post("/cooperatives/new", data={
        "name": f"West\x00 Lake{RTL_OVERRIDE} tea\u2066", "credit_code": valid_credit_code("330106"),
        "county_code": "330106", "address": "1 Village\x00 Road\x1b", "phone": "138\x0000138000",
        "description": f"We pick\x00 by hand.\r\n{RTL_OVERRIDE}Since 1950.",
    })
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    cooperative = db.session.scalar(select(Cooperative))
    assert cooperative.name == "West Lake tea"
    assert cooperative.address == "1 Village Road"
    assert "\x00" not in cooperative.phone
    assert cooperative.description == "We pick by hand.\nSince 1950."


def test_direction_overrides_are_stripped_from_listing_titles(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    title = f"Tea {RTL_OVERRIDE}gpj.exe\u200f"
    assert client.post("/seller/listings/new",
                       data=listing_form(world["cooperative"], title=title)).status_code == 302
    assert db.session.scalar(select(Listing.title)) == "Tea gpj.exe"


def test_the_listing_service_cleans_text_that_did_not_come_through_a_form(app, seller_world):
    from marketplace.catalog.services.listings import ListingDetails, create_listing

    world = seller_world()
    details = ListingDetails(title=f"Tea\x00 {RTL_OVERRIDE}box", description="a\x00b", category="tea",
                             price="12.50", unit="box\u2067", stock=3, status="draft")
    listing = create_listing(world["member"], world["cooperative"].id, details)
    assert (listing.title, listing.description, listing.unit) == ("Tea box", "ab", "box")


@pytest.mark.parametrize("query", [{"q": "tea\x00"}, {"gi": "\x00"}, {"province": "浙江\x00"},
                                   {"county": "33\x000106"}, {"category": "tea\x00"}])
def test_nul_in_a_search_query_string_is_no_error(client, query):
    assert client.get("/search", query_string=query).status_code == 200


@pytest.mark.parametrize("valid_from", ["0001-01-01", "9999-12-31"])
def test_an_approval_dated_at_the_ends_of_the_calendar_is_refused_on_its_field(
        client, login, make_user, make_cooperative, make_gi_authorization, valid_from):
    from marketplace.certification.models import AuthorizationStatus, GIAuthorization

    official = make_user(official_of=("330106",))
    authorization = make_gi_authorization(make_cooperative(county="330106"), status="submitted")
    login(official)
    response = client.post(f"/official/authorizations/{authorization.id}/approve", data={
        "approve-number": "", "approve-valid_from": valid_from, "approve-years": "3"})
    assert response.status_code == 400
    assert 'id="approve-valid_from-errors"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(GIAuthorization, authorization.id).status == AuthorizationStatus.SUBMITTED


# --- NUL bytes: PostgreSQL refuses them in text, which once made each of these a 500 -------

def test_nul_in_a_display_name_is_dropped(client, login, make_user):
    from marketplace.accounts.models import User

    user = make_user()
    login(user)
    response = client.post("/account", data={"display_name": "Li\x00 Wei\u202e", "phone": ""})
    assert response.status_code < 500
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Li Wei"


def test_nul_in_an_audit_subject_filter_is_no_error(client, login, make_user):
    login(make_user(supervisor=True))
    assert client.get("/official/audit", query_string={"subject_id": "tea\x00"}).status_code == 200


def test_nul_in_a_supervisors_reason_is_dropped(client, login, make_user, make_cooperative):
    from marketplace.core.audit import AuditEntry

    cooperative = make_cooperative()
    login(make_user(supervisor=True))
    response = client.post(f"/admin/cooperatives/{cooperative.id}/status",
                           data={"status": "suspended", "reason": "fraud\x00 found"})
    assert response.status_code < 500
    reasons = list(db.session.scalars(select(AuditEntry.reason)))
    assert "fraud found" in reasons


@pytest.mark.parametrize("subject", ["authorizations", "certificates"])
def test_nul_in_an_officials_revocation_reason_is_dropped(certified_world, as_user, subject):  # noqa: F811
    from marketplace.core.audit import AuditEntry

    world = certified_world
    target = world.authorization if subject == "authorizations" else world.certificate
    client = as_user(world.official)
    response = client.post(f"/official/{subject}/{target.id}/revoke", data={"revoke-reason": "Forged\x00 papers."})
    assert response.status_code < 500
    assert "Forged papers." in list(db.session.scalars(select(AuditEntry.reason)))


def test_nul_in_a_sellers_cancellation_reason_is_dropped(client, login, make_user, make_listing_for_sale,
                                                        make_cooperative, place_order):
    from marketplace.orders.models import SubOrder

    seller = make_user()
    listing = make_listing_for_sale(make_cooperative(seller))
    order = place_order(make_user(), (listing, 1))
    login(seller)
    part = order.sub_orders[0]
    response = client.post(f"/seller/orders/{part.id}/cancel", data={"reason": "Out\x00 of stock"})
    assert response.status_code < 500
    db.session.expire_all()
    assert "\x00" not in repr(db.session.get(SubOrder, part.id).__dict__)
