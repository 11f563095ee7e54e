"""A batch's listings never offer and sell more than the batch's certified quantity."""
import html
import re

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Batch, Listing, ListingStatus
from marketplace.extensions import db
from tests.seller.test_listings import listing_form
from tests.support.factories_orders import checkout_form, fresh


def field_errors(response, field: str) -> str:
    """The error text shown under a form field ('' when it has none)."""
    found = re.search(rf'<ul class="errors" id="{field}-errors">(.*?)</ul>', response.get_data(as_text=True), re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))) if found else ""


@pytest.fixture
def tea(seller_world, make_batch, make_gi_authorization, login, client):
    """The Xihu cooperative's member signed in, authorized to use the Longjing name, with a
    certified-size batch of 500 kg."""
    world = seller_world()
    make_gi_authorization(world["cooperative"])
    world["batch"] = make_batch(world["cooperative"], quantity_kg=500)
    login(world["member"])
    return world


def test_a_listing_bigger_than_its_batch_is_refused_at_the_form(client, tea):
    """100,000 boxes of 250 g are 25 t: they cannot be sold from a 500 kg batch."""
    response = client.post("/seller/listings/new", data=listing_form(
        tea["cooperative"], title="西湖龙井 明前 250g", status="active", stock="100000", weight_grams="250", batch_id=str(tea["batch"].id)))
    assert response.status_code == 400
    assert "at most 2000 units of 250 g" in field_errors(response, "stock")
    assert db.session.scalar(select(Listing)) is None


def test_a_listing_that_fits_its_batch_is_saved(client, tea):
    response = client.post("/seller/listings/new", data=listing_form(
        tea["cooperative"], title="西湖龙井 明前 250g", status="active", stock="2000", weight_grams="250", batch_id=str(tea["batch"].id)))
    assert response.status_code == 302
    assert db.session.scalar(select(Listing)).stock == 2000


def test_a_listing_linked_to_a_batch_needs_its_net_weight(client, tea):
    response = client.post("/seller/listings/new", data=listing_form(
        tea["cooperative"], stock="10", weight_grams="", batch_id=str(tea["batch"].id)))
    assert response.status_code == 400
    assert "net weight of one unit" in field_errors(response, "weight_grams")
    assert db.session.scalar(select(Listing)) is None


def test_listings_of_one_batch_share_its_quantity(client, tea, make_listing):
    """Split over two listings, 300 kg + 300 kg are still more than 500 kg."""
    make_listing(tea["cooperative"], batch=tea["batch"], stock=600, weight_grams=500)
    response = client.post("/seller/listings/new", data=listing_form(
        tea["cooperative"], stock="1200", weight_grams="250", batch_id=str(tea["batch"].id)))
    assert response.status_code == 400
    assert "already offer or sold 300 kg" in field_errors(response, "stock")
    assert "at most 800 units" in field_errors(response, "stock")


def test_units_sold_count_against_the_batch(client, tea, make_listing):
    make_listing(tea["cooperative"], batch=tea["batch"], stock=0, units_sold=1000, weight_grams=500,
                 status="sold_out")
    response = client.post("/seller/listings/new", data=listing_form(
        tea["cooperative"], stock="1", weight_grams="250", batch_id=str(tea["batch"].id)))
    assert response.status_code == 400 and "at most 0 units" in field_errors(response, "stock")


def test_raising_stock_past_the_batch_is_refused_and_changes_nothing(client, tea, make_listing):
    listing = make_listing(tea["cooperative"], batch=tea["batch"], stock=1000, weight_grams=500,
                           title="西湖龙井 明前")
    response = client.post(f"/seller/listings/{listing.id}/edit", data=listing_form(
        tea["cooperative"], title=listing.title, stock="1001", stock_seen="1000", weight_grams="500",
        batch_id=str(tea["batch"].id)))
    assert response.status_code == 400 and "at most 1000 units" in field_errors(response, "stock")
    assert fresh(Listing, listing.id).stock == 1000


def test_a_lighter_unit_weight_cannot_hide_stock(client, tea, make_listing):
    """Changing 500 g to 5 g on a listing with sales would hand sold kilograms back to the batch."""
    listing = make_listing(tea["cooperative"], batch=tea["batch"], stock=10, units_sold=5, weight_grams=500)
    response = client.post(f"/seller/listings/{listing.id}/edit", data=listing_form(
        tea["cooperative"], title=listing.title, stock="10", stock_seen="10", weight_grams="5",
        batch_id=str(tea["batch"].id)))
    assert response.status_code == 400 and "weight stays" in field_errors(response, "weight_grams")
    assert fresh(Listing, listing.id).weight_grams == 500


def test_relinking_to_a_full_batch_is_refused(client, tea, make_batch, make_listing):
    full = make_batch(tea["cooperative"], quantity_kg=1)
    make_listing(tea["cooperative"], batch=full, stock=4, weight_grams=250)
    listing = make_listing(tea["cooperative"], batch=tea["batch"], stock=4, weight_grams=250)
    response = client.post(f"/seller/listings/{listing.id}/edit", data=listing_form(
        tea["cooperative"], title=listing.title, stock="4", stock_seen="4", weight_grams="250",
        batch_id=str(full.id)))
    assert response.status_code == 400 and "at most 0 units" in field_errors(response, "stock")
    assert fresh(Listing, listing.id).batch_id == tea["batch"].id


def test_a_listing_with_sales_stays_on_its_batch(client, tea, make_batch, make_listing):
    """Moving sold units to another batch would free the first batch to be sold twice."""
    other = make_batch(tea["cooperative"], quantity_kg=500)
    listing = make_listing(tea["cooperative"], batch=tea["batch"], stock=4, units_sold=3, weight_grams=250)
    for target in (str(other.id), ""):
        response = client.post(f"/seller/listings/{listing.id}/edit", data=listing_form(
            tea["cooperative"], title=listing.title, stock="4", stock_seen="4", weight_grams="250",
            batch_id=target))
        assert response.status_code == 400 and "stays linked" in field_errors(response, "batch_id")
    assert fresh(Listing, listing.id).batch_id == tea["batch"].id


def test_a_batch_quantity_cannot_drop_below_its_listings(client, tea, make_listing):
    from tests.seller.test_batches import batch_form

    make_listing(tea["cooperative"], batch=tea["batch"], stock=800, weight_grams=500)
    response = client.post(f"/seller/batches/{tea['batch'].id}/edit", data=batch_form(
        tea["cooperative"], quantity="300", unit="kg"))
    assert response.status_code == 400 and "already offer or sold 400 kg" in field_errors(response, "quantity")
    assert fresh(Batch, tea["batch"].id).quantity_kg == 500


def test_a_batch_quantity_is_a_weight(client, tea):
    from tests.seller.test_batches import batch_form

    response = client.post("/seller/batches/new?product=longjing-tea",
                           data=batch_form(tea["cooperative"], quantity="300", unit="box"))
    assert response.status_code == 400
    assert db.session.scalar(select(Batch).where(Batch.id != tea["batch"].id)) is None


def test_tonnes_are_recorded_in_kilograms(client, tea):
    from tests.seller.test_batches import batch_form

    response = client.post("/seller/batches/new?product=longjing-tea",
                           data=batch_form(tea["cooperative"], quantity="1.5", unit="t"))
    assert response.status_code == 302
    batch = db.session.scalar(select(Batch).where(Batch.id != tea["batch"].id))
    assert batch.quantity_kg == 1500


def _buy(app, login, make_user, listing, quantity):
    shopper = app.test_client()
    login(make_user(name="Shopper"), test_client=shopper)
    shopper.post("/cart/add", data={"listing_id": listing.id, "quantity": quantity})
    return shopper, shopper.post("/checkout", data=checkout_form())


def test_a_used_up_batch_shows_its_listings_sold_out(app, client, tea, make_batch, make_listing, login,
                                                     make_user):
    """One kilogram, four boxes: once they are bought, nothing of the batch is for sale."""
    small = make_batch(tea["cooperative"], quantity_kg=1)
    listing = make_listing(tea["cooperative"], batch=small, stock=4, weight_grams=250, title="西湖龙井 250g")
    _shopper, response = _buy(app, login, make_user, listing, 4)
    assert response.status_code == 302
    assert fresh(Listing, listing.id).status == ListingStatus.SOLD_OUT
    page = app.test_client().get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'id="sold-out"' in page and 'id="add-to-cart"' not in page  # off sale, page kept
    assert "Sold out" in client.get("/seller/listings").get_data(as_text=True)
    # Nor can the seller put more on sale from it, on this listing or a new one.
    response = client.post(f"/seller/listings/{listing.id}/edit", data=listing_form(
        tea["cooperative"], title=listing.title, status="active", stock="1", stock_seen="0",
        weight_grams="250", batch_id=str(small.id)))
    assert response.status_code == 400 and "at most 0 units" in field_errors(response, "stock")


def test_stock_given_back_by_a_cancelled_order_keeps_the_balance(app, client, tea, make_batch, make_listing,
                                                                 login, make_user):
    """Restock after cancellation: the units go back on sale, and the seller still cannot add more."""
    small = make_batch(tea["cooperative"], quantity_kg=1)
    listing = make_listing(tea["cooperative"], batch=small, stock=4, weight_grams=250, title="西湖龙井 250g")
    shopper, response = _buy(app, login, make_user, listing, 3)
    assert response.status_code == 302
    assert (fresh(Listing, listing.id).stock, fresh(Listing, listing.id).units_sold) == (1, 3)
    order_id = int(re.search(r"/orders/(\d+)", response.headers["Location"]).group(1))
    assert shopper.post(f"/orders/{order_id}/cancel").status_code == 302
    restocked = fresh(Listing, listing.id)
    assert (restocked.stock, restocked.units_sold) == (4, 0)
    response = client.post(f"/seller/listings/{listing.id}/edit", data=listing_form(
        tea["cooperative"], title=listing.title, status="active", stock="5", stock_seen="4",
        weight_grams="250", batch_id=str(small.id)))
    assert response.status_code == 400 and "at most 4 units" in field_errors(response, "stock")
