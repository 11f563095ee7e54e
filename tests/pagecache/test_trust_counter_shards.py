"""On PostgreSQL, watched writes on different rows do not queue on the trust counter, and each raises the version."""
from __future__ import annotations

import threading

import pytest

from tests.support.polling import wait_for


def change_stock(app, listing_id: int, holding: threading.Event | None = None,
                 release: threading.Event | None = None) -> None:
    """Take a unit of a listing's stock in one transaction, optionally held open until `release`."""
    from marketplace.catalog.models import Listing
    from marketplace.core.database import write_transaction
    from marketplace.extensions import db

    with app.app_context():
        try:
            with write_transaction():
                db.session.get(Listing, listing_id).stock -= 1
                db.session.flush()  # the bump: the transaction now holds its counter row
                if holding is not None:
                    holding.set()
                    assert release.wait(timeout=120)
        finally:
            db.session.remove()


def test_a_write_does_not_wait_for_another_transaction_holding_the_counter(app, make_listing_for_sale):
    from marketplace.extensions import db
    from marketplace.pagecache import trust

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: its counter is a single row")
    first, second = make_listing_for_sale(stock=10), make_listing_for_sale(stock=10)
    first_id, second_id = first.id, second.id
    before = trust._version_in_database()

    holding, release, done = threading.Event(), threading.Event(), threading.Event()
    slow = threading.Thread(target=change_stock, args=(app, first_id, holding, release))
    slow.start()
    try:
        assert holding.wait(timeout=60)
        quick = threading.Thread(target=lambda: (change_stock(app, second_id), done.set()))
        quick.start()
        # It commits while the first transaction still holds its counter row open.
        assert wait_for(done.is_set), "the second write waited for the first one's commit"
        assert trust._version_in_database() > before  # and its change is already under a new version
    finally:
        release.set()
        slow.join(timeout=60)
    assert trust._version_in_database() >= before + 2  # (emptying the search outbox bumps it too)


def test_many_concurrent_writes_each_raise_the_version(app, make_listing_for_sale):
    from marketplace.extensions import db
    from marketplace.pagecache import trust

    listings = [make_listing_for_sale(stock=10).id for _ in range(4)]
    before = trust._version_in_database()
    threads = [threading.Thread(target=change_stock, args=(app, listing_id)) for listing_id in listings * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert trust._version_in_database() >= before + len(threads)
    db.session.rollback()
