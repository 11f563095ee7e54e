"""Stock sheets and checkouts at the same moment, through the API: no change is lost."""
import threading

from marketplace.catalog.models import Listing
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.services.reservations import reserve_stock
from tests.api.conftest import bearer


def test_simultaneous_api_updates_and_reservations_lose_nothing(app, coop_world):
    listing_id, secret = coop_world["listing"].id, coop_world["write"]
    errors, start = [], threading.Barrier(12, timeout=30)

    def sheet():
        # Each stock sheet read 20 and sends 21: one more unit each.
        try:
            with app.app_context():
                start.wait()
                response = app.test_client().patch(f"/api/v1/cooperative/listings/{listing_id}",
                                                   json={"stock": 21, "stock_seen": 20}, headers=bearer(secret))
                if response.status_code != 200:
                    errors.append((response.status_code, response.get_data(as_text=True)[:200]))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def reserve():
        # What checkout does, through its own service.
        try:
            with app.app_context():
                start.wait()
                with write_transaction():
                    reserve_stock([(listing_id, 1)])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=sheet) for _ in range(6)] + [threading.Thread(target=reserve) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    db.session.expire_all()
    assert db.session.get(Listing, listing_id).stock == 20 + 6 - 6
