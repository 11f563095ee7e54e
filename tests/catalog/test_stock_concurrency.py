"""Sellers' stock edits and checkouts at the same moment: no change is lost."""
import threading

from sqlalchemy import update

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

    def reserve():
        # What checkout does: one conditional UPDATE, checked for the row it changed.
        try:
            with app.app_context():
                start.wait()
                from marketplace.core.database import begin_write

                begin_write()
                changed = db.session.execute(update(Listing).where(Listing.id == listing_id, Listing.stock >= 1)
                                             .values(stock=Listing.stock - 1)).rowcount
                db.session.commit()
                if changed != 1:
                    errors.append("not reserved")
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
