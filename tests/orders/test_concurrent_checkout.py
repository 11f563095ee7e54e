"""No overselling: many shoppers racing for the last units through the real app over HTTP."""
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from marketplace.catalog.models import Listing, ListingStatus
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderLine
from tests.support.factories_orders import checkout_form, fresh, http_session

BUYERS = 60
UNITS = 10


def test_sixty_shoppers_ordering_the_last_ten_units_at_once_buy_exactly_ten(served_app, make_user,
                                                                            make_listing_for_sale, put_in_cart):
    listing = make_listing_for_sale(stock=UNITS, title="明前龙井 特级")
    buyers = [make_user() for _ in range(BUYERS)]
    for buyer in buyers:
        put_in_cart(buyer, listing, 1)
    with ThreadPoolExecutor(max_workers=16) as pool:
        sessions = list(pool.map(lambda email: http_session(served_app, email), [b.email for b in buyers]))
    start = threading.Barrier(BUYERS)

    def buy(session):
        start.wait(timeout=60)
        response = session.post(f"{served_app.url}/checkout", data=checkout_form(), allow_redirects=False,
                                timeout=120)
        return response.status_code, response.text

    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        results = list(pool.map(buy, sessions))

    statuses = [status for status, _text in results]
    assert statuses.count(302) == UNITS, statuses
    refused = [text for status, text in results if status != 302]
    assert all(status == 409 for status in statuses if status != 302), statuses
    assert all("“明前龙井 特级” is sold out" in text for text in refused)
    listing = fresh(Listing, listing.id)
    assert (listing.stock, listing.status) == (0, ListingStatus.SOLD_OUT)
    assert db.session.scalar(select(func.sum(OrderLine.quantity))) == UNITS
    assert db.session.scalar(select(func.count()).select_from(Order)) == UNITS


def test_concurrent_baskets_sharing_products_never_deadlock_or_oversell(served_app, make_user, make_cooperative,
                                                                         make_listing_for_sale, put_in_cart):
    """Baskets holding the same two products, listed in opposite orders, all settle cleanly."""
    first = make_listing_for_sale(stock=15)
    second = make_listing_for_sale(make_cooperative(county="230184"), stock=15)
    buyers = [make_user() for _ in range(24)]
    for index, buyer in enumerate(buyers):
        pair = (first, second) if index % 2 else (second, first)
        for listing in pair:
            put_in_cart(buyer, listing, 1)
    with ThreadPoolExecutor(max_workers=12) as pool:
        sessions = list(pool.map(lambda email: http_session(served_app, email), [b.email for b in buyers]))
    start = threading.Barrier(len(sessions))

    def buy(session):
        start.wait(timeout=60)
        return session.post(f"{served_app.url}/checkout", data=checkout_form(), allow_redirects=False,
                            timeout=120).status_code

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        statuses = list(pool.map(buy, sessions))
    assert sorted(set(statuses)) == [302, 409] and statuses.count(302) == 15
    assert fresh(Listing, first.id).stock == 0 and fresh(Listing, second.id).stock == 0
