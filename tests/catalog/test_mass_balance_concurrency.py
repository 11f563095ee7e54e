"""Fifty sellers' edits and buyers' checkouts at once: a batch is never sold beyond its weight."""
import threading

from sqlalchemy import func, select

from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.seller.test_listings import listing_form
from tests.support.factories_orders import checkout_form

SELLERS = BUYERS = 25


def test_fifty_concurrent_edits_and_checkouts_keep_the_batch_balance(app, login, seller_world, make_batch,
                                                                     make_listing, make_user,
                                                                     make_gi_authorization):
    world = seller_world()
    make_gi_authorization(world["cooperative"])
    batch = make_batch(world["cooperative"], quantity_kg=30)
    # One listing per seller, so that no listing lock puts them in line: 25 listings of two
    # 500 g boxes hold 25 kg of the 30 kg batch, leaving room for exactly 10 more boxes.
    listings = [make_listing(world["cooperative"], batch=batch, stock=2, weight_grams=500,
                             title=f"西湖龙井 明前 500g 礼盒 {n}") for n in range(SELLERS)]
    # Every form is built here: the threads must not touch this session's objects.
    targets = [(listing.id, listing_form(world["cooperative"], title=listing.title, status="active",
                                         stock="3", stock_seen="2", weight_grams="500",
                                         batch_id=str(batch.id)))
               for listing in listings]  # each seller saw 2 boxes and typed 3: one more each
    batch_id = batch.id

    sellers = []
    for n in range(SELLERS):
        seller = app.test_client()
        login(world["member"], test_client=seller)
        sellers.append((seller, targets[n]))
    buyers = []
    for n in range(BUYERS):
        buyer = app.test_client()
        login(make_user(name=f"Buyer {n}"), test_client=buyer)
        listing_id = targets[n][0]  # each buyer takes one box
        assert buyer.post("/cart/add", data={"listing_id": listing_id, "quantity": 1}).status_code == 302
        buyers.append(buyer)

    start = threading.Barrier(SELLERS + BUYERS, timeout=60)
    outcomes, errors = [], []

    def add_one_box(client, target):
        listing_id, form = target
        try:
            with app.app_context():
                start.wait()
                response = client.post(f"/seller/listings/{listing_id}/edit", data=form)
                outcomes.append(("seller", response.status_code))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def check_out(client):
        try:
            with app.app_context():
                start.wait()
                outcomes.append(("buyer", client.post("/checkout", data=checkout_form()).status_code))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=add_one_box, args=pair) for pair in sellers]
    threads += [threading.Thread(target=check_out, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    assert sorted(set(outcomes)) == [("buyer", 302), ("seller", 302), ("seller", 400)]
    assert outcomes.count(("seller", 302)) == 10  # exactly the room the batch had
    assert outcomes.count(("buyer", 302)) == BUYERS
    db.session.rollback()  # read what the threads committed, not this session's snapshot
    assert db.session.scalar(select(func.count(Order.id))) == BUYERS
    rows = db.session.scalars(select(Listing).where(Listing.batch_id == batch_id)).all()
    assert sum(row.units_sold for row in rows) == BUYERS
    assert sum(row.stock for row in rows) == 50 + 10 - BUYERS
    assert sum((row.stock + row.units_sold) * row.weight_grams for row in rows) == 30_000  # grams: the whole batch, not a gram more
