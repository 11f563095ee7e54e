"""Sellers' stock edits and checkouts at the same moment: no change is lost."""
import threading

from marketplace.catalog.models import Listing
from marketplace.extensions import db
from tests.seller.test_listings import listing_form


def test_simultaneous_edits_and_reservations_lose_nothing(app, login, seller_world, make_listing):
    world = seller_world()
    listing = make_listing(world["cooperative"], stock=10)
    editors = []
    for _ in range(6):
        client = app.test_client()
        login(world["member"], test_client=client)
        editors.append(client)
    errors, start = [], threading.Barrier(12, timeout=30)
    # Each seller saw 10 and typed 11: one more unit each.
    data = listing_form(world["cooperative"], title=listing.title, status="active", stock="11", stock_seen="10")
    listing_id = listing.id

    def edit(client):
        try:
            with app.app_context():
                start.wait()
                response = client.post(f"/seller/listings/{listing_id}/edit", data=data)
                if response.status_code != 302:
                    errors.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    size_id = listing.variants[0].id

    def reserve():
        # What checkout does: conditional UPDATEs of the listing and the size, checked for the rows changed.
        try:
            with app.app_context():
                start.wait()
                from marketplace.core.database import begin_write
                from marketplace.orders.services.reservations import reserve_stock

                begin_write()
                reserve_stock([(size_id, 1)])
                db.session.commit()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=edit, args=(c,)) for c in editors]
    threads += [threading.Thread(target=reserve) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    db.session.expire_all()
    assert db.session.get(Listing, listing_id).stock == 10 + 6 - 6
    assert db.session.get(Listing, listing_id).variants[0].stock == 10  # the size and its listing agree
