"""The copy of public pages for anonymous visitors: never for signed-in users, never stale.

See tests/pagecache for the trust version that keeps copies right."""
import re

from sqlalchemy import text

import pytest


@pytest.fixture
def cached_app(app):
    app.config["PUBLIC_PAGE_CACHE_SECONDS"] = 60
    return app


def test_pages_are_always_fresh_by_default(app, client, seller_world, make_listing):
    from marketplace.extensions import db

    assert app.config["PUBLIC_PAGE_CACHE_SECONDS"] > 0  # copies on, and still fresh
    listing = make_listing(seller_world()["cooperative"], title="Before")
    assert "Before" in client.get(f"/listings/{listing.id}").get_data(as_text=True)
    listing.title = "After"
    db.session.commit()
    assert "After" in client.get(f"/listings/{listing.id}").get_data(as_text=True)


def test_anonymous_visitors_share_a_copy_signed_in_users_do_not(cached_app, client, login, seller_world,
                                                                make_listing):
    from marketplace.extensions import db
    from marketplace.pagecache import pages as page_cache

    world = seller_world()
    listing = make_listing(world["cooperative"], title="Before")
    url = f"/listings/{listing.id}"
    assert "Before" in client.get(url).get_data(as_text=True)
    db.session.commit()
    with db.engine.begin() as connection:  # behind the ORM: bumps no trust version
        connection.execute(text("UPDATE listings SET title = 'After' WHERE id = :i"), {"i": listing.id})
    assert "Before" in cached_app.test_client().get(url).get_data(as_text=True)
    login(world["member"])
    assert "After" in client.get(url).get_data(as_text=True)
    page_cache.clear()
    assert "After" in cached_app.test_client().get(url).get_data(as_text=True)


def test_a_shared_copy_carries_each_visitors_own_csrf_token(cached_app, seller_world, make_listing):
    cached_app.config["WTF_CSRF_ENABLED"] = True
    if "orders.add_to_cart" not in cached_app.view_functions:
        cached_app.add_url_rule("/test-cart/add", "orders.add_to_cart", lambda: "", methods=["POST"])
    listing = make_listing(seller_world()["cooperative"])
    tokens = []
    for _ in range(2):
        page = cached_app.test_client().get(f"/listings/{listing.id}").get_data(as_text=True)
        assert "__terroir_csrf_token__" not in page
        tokens.append(re.search(r'name="csrf_token" value="([^"]+)"', page).group(1))
    assert tokens[0] != tokens[1]


def test_with_the_copy_turned_off_a_paused_listing_is_gone_at_once(cached_app, client, seller_world, make_listing):
    from marketplace.catalog.models import ListingStatus
    from marketplace.extensions import db

    listing = make_listing(seller_world()["cooperative"])
    assert client.get(f"/listings/{listing.id}").status_code == 200
    listing.status = ListingStatus.PAUSED
    db.session.commit()
    cached_app.config["PUBLIC_PAGE_CACHE_SECONDS"] = 0
    assert client.get(f"/listings/{listing.id}").status_code == 404
