"""Stock and mass balance per size: no overselling under concurrency, and a batch's kilograms
counted over every size of every listing linked to it."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Listing, ListingStatus, ListingVariant
from marketplace.extensions import db
from marketplace.orders.models import OrderLine
from tests.catalog.test_mass_balance import field_errors
from tests.catalog.test_variants import add_size, size_form, sizes_of
from tests.seller.test_listings import listing_form
from tests.support.factories_orders import checkout_form, fresh, http_session

BUYERS = 50


def test_fifty_buyers_racing_for_two_sizes_buy_exactly_what_each_size_holds(served_app, make_user, make_cooperative,
                                                                            make_listing_for_sale, put_in_cart):
    listing = make_listing_for_sale(stock=10, title="五常大米", unit="500 g", weight_grams=500)
    sack = ListingVariant(position=1, label="5 kg 袋", price_minor=18000, stock=6, units_sold=0, weight_grams=5000)
    listing.variants.append(sack)
    listing.stock = 16
    db.session.commit()
    small = listing.variants[0]
    buyers = [make_user() for _ in range(BUYERS)]
    for index, buyer in enumerate(buyers):
        put_in_cart(buyer, sack if index % 2 else small, 1)
    with ThreadPoolExecutor(max_workers=16) as pool:
        sessions = list(pool.map(lambda email: http_session(served_app, email), [b.email for b in buyers]))
    start = threading.Barrier(BUYERS)

    def buy(session):
        start.wait(timeout=60)
        return session.post(f"{served_app.url}/checkout", data=checkout_form(), allow_redirects=False,
                            timeout=180).status_code

    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        statuses = list(pool.map(buy, sessions))

    assert statuses.count(302) == 16 and statuses.count(409) == BUYERS - 16, statuses
    small, sack = sizes_of(listing.id)
    assert (small.stock, small.units_sold, sack.stock, sack.units_sold) == (0, 10, 0, 6)
    sold = dict(db.session.execute(select(OrderLine.variant_id, func.sum(OrderLine.quantity))
                                   .group_by(OrderLine.variant_id)).all())
    assert sold == {small.id: 10, sack.id: 6}
    listing = fresh(Listing, listing.id)
    assert (listing.stock, listing.units_sold, listing.status) == (0, 16, ListingStatus.SOLD_OUT)


@pytest.fixture
def tea(seller_world, make_batch, make_gi_authorization, login):
    """A 10 kg Longjing batch and its member signed in."""
    world = seller_world()
    make_gi_authorization(world["cooperative"])
    world["batch"] = make_batch(world["cooperative"], quantity_kg=10)
    login(world["member"])
    return world


def linked_listing(client, tea, stock="10", weight="500"):
    """A live listing of 500 g tins linked to the batch, through the seller's form."""
    response = client.post("/seller/listings/new", data=listing_form(
        tea["cooperative"], title="西湖龙井 明前", status="active", stock=stock, weight_grams=weight,
        unit="500 g 罐", batch_id=str(tea["batch"].id)))
    assert response.status_code == 302, field_errors(response, "stock")
    return db.session.scalar(select(Listing))


def test_every_size_counts_against_the_batch(client, tea):
    """5 kg of tins leaves room for one 5 kg sack, not two; nor for one more tin then."""
    listing = linked_listing(client, tea)
    response = add_size(client, listing, label="5 kg 袋", stock="2", weight_grams="5000")
    assert response.status_code == 400
    assert "at most 10 kg in all" in field_errors(response, "new-stock")
    assert len(sizes_of(listing.id)) == 1
    assert add_size(client, listing, label="5 kg 袋", stock="1", weight_grams="5000").status_code == 302
    tin, sack = sizes_of(listing.id)
    response = client.post(f"/seller/listings/{listing.id}/sizes/{tin.id}", data={
        **size_form(prefix=f"v{tin.id}", label="500 g 罐", price="12.50", stock="11", weight_grams="500"),
        f"v{tin.id}-stock_seen": "10"})
    assert response.status_code == 400 and "at most" in field_errors(response, f"v{tin.id}-stock")
    assert sizes_of(listing.id)[0].stock == 10


def test_a_lighter_weight_cannot_give_a_sold_size_back_to_the_batch(client, tea, make_user, place_order):
    listing = linked_listing(client, tea)
    add_size(client, listing, label="1 kg 袋", stock="2", weight_grams="1000")
    tin, bag = sizes_of(listing.id)
    place_order(make_user(), (bag, 1))
    response = client.post(f"/seller/listings/{listing.id}/sizes/{bag.id}", data={
        **size_form(prefix=f"v{bag.id}", label="1 kg 袋", price="12.50", stock="1", weight_grams="100"),
        f"v{bag.id}-stock_seen": "1"})
    assert response.status_code == 400 and "weight stays" in field_errors(response, f"v{bag.id}-weight_grams")
    assert sizes_of(listing.id)[1].weight_grams == 1000


def test_retiring_a_sold_size_frees_only_its_unsold_kilograms(client, tea, make_user, place_order):
    listing = linked_listing(client, tea, stock="2")  # 1 kg of tins
    add_size(client, listing, label="4 kg 袋", stock="2", weight_grams="4000")  # 8 kg more: the batch is full
    tin, bag = sizes_of(listing.id)
    place_order(make_user(), (bag, 1))
    client.post(f"/seller/listings/{listing.id}/sizes/{bag.id}/remove")
    # 4 kg went out with the order; the other 6 kg hold 12 tins in all, not 13.
    response = client.post(f"/seller/listings/{listing.id}/sizes/{tin.id}", data={
        **size_form(prefix=f"v{tin.id}", label="500 g 罐", price="12.50", stock="13", weight_grams="500"),
        f"v{tin.id}-stock_seen": "2"})
    assert response.status_code == 400
    response = client.post(f"/seller/listings/{listing.id}/sizes/{tin.id}", data={
        **size_form(prefix=f"v{tin.id}", label="500 g 罐", price="12.50", stock="12", weight_grams="500"),
        f"v{tin.id}-stock_seen": "2"})
    assert response.status_code == 302
