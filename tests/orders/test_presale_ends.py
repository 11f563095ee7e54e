"""A pre-sale ends when its ships-from day comes or its harvested batch is linked: no stale notice."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Listing
from marketplace.extensions import db
from marketplace.orders.models import SubOrder
from tests.orders.test_presale import presale_form, shop_today_in
from tests.support.factories_orders import checkout_form


@pytest.fixture
def presale(seller_world, login, client, app):
    """A live pre-sale whose ships-from day is 20 days ahead, put on sale by its seller."""
    world = seller_world()
    login(world["member"])
    today = shop_today_in(client)
    assert client.post("/seller/listings/new", data=presale_form(
        world["cooperative"], today + timedelta(days=20))).status_code == 302
    world["listing"] = db.session.scalar(select(Listing))
    world["today"] = today
    client.get("/logout")
    return world


def _shows_presale(client, listing) -> dict:
    product = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    return {"product": 'id="presale-notice"' in product,
            "home": "presale-tag" in client.get("/").get_data(as_text=True),
            "search": "presale-tag" in client.get("/search", query_string={"q": "新茶"}).get_data(as_text=True)}


def _move_ships_from(listing, day):
    listing = db.session.get(Listing, listing.id)
    listing.presale_ships_from = day
    db.session.commit()


def _order_ships_from(client, login, make_user, listing):
    login(make_user())
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    assert client.post("/checkout", data=checkout_form()).status_code == 302
    return db.session.scalar(select(SubOrder).order_by(SubOrder.id.desc())).ships_from


def test_a_coming_presale_shows_everywhere(client, presale):
    assert _shows_presale(client, presale["listing"]) == {"product": True, "home": True, "search": True}


@pytest.mark.parametrize("days", [-1, -30, 0])
def test_a_presale_whose_day_has_come_no_longer_says_presale(client, presale, login, make_user, days):
    _move_ships_from(presale["listing"], presale["today"] + timedelta(days=days))
    assert _shows_presale(client, presale["listing"]) == {"product": False, "home": False, "search": False}
    page = client.get(f"/listings/{presale['listing'].id}", query_string={"province": "浙江省"}).get_data(as_text=True)
    assert "ships from" not in page
    assert _order_ships_from(client, login, make_user, presale["listing"]) is None


def test_a_presale_with_its_harvested_batch_linked_is_no_longer_a_presale(client, presale, login, make_user,
                                                                          make_batch):
    listing = db.session.get(Listing, presale["listing"].id)
    listing.batch_id = make_batch(presale["cooperative"], quantity_kg=200).id
    db.session.commit()
    assert _shows_presale(client, listing) == {"product": False, "home": False, "search": False}
    assert _order_ships_from(client, login, make_user, listing) is None


def test_a_cached_page_never_outlives_the_presale(client, presale, app):
    """Anonymous visitors get shared copies: none may be kept past the start of the ships-from day."""
    from marketplace.catalog.presale import presale_end_moment
    from marketplace.pagecache.trust import seconds_until_next_lapse
    from marketplace.core.timeutil import utcnow

    _move_ships_from(presale["listing"], presale["today"] + timedelta(days=1))
    with app.test_request_context("/"):
        end = presale_end_moment(presale["today"] + timedelta(days=1), app.config["BABEL_DEFAULT_TIMEZONE"])
        assert seconds_until_next_lapse(10 * 86400) <= (end - utcnow()).total_seconds()
    assert _shows_presale(client, presale["listing"])["product"] is True
