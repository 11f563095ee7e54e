"""Public pages are cached by default and still never show a withdrawn badge, price or stock.

Each test first proves the copy is really served (a title changed behind the ORM's back,
which bumps nothing, stays hidden), then makes a change the way a service would and
expects it on the very next request: no expiry to wait for.
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import text, update

SEARCH = {"q": "longjing"}


def _page(client, url, **query) -> str:
    response = client.get(url, query_string=query)
    return response.get_data(as_text=True) if response.status_code == 200 else ""


def _retitle_behind_the_orms_back(listing, title: str) -> None:
    """A change no listener sees: only a cache miss would show it."""
    from marketplace.extensions import db

    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE listings SET title = :t WHERE id = :i"), {"t": title, "i": listing.id})


@pytest.fixture
def certified(gi_world, make_batch_certificate, make_listing):
    world = gi_world()
    certificate = make_batch_certificate(world.batch)
    listing = make_listing(world.cooperative, title="西湖龙井 特级 Qiantang", batch=world.batch, price_minor=5800)
    world.certificate, world.listing = certificate, listing
    return world


def _public_pages(listing):
    return [(f"/listings/{listing.id}", {}), ("/search", SEARCH), ("/", {})]


def _assert_served_from_the_cache(client, listing) -> None:
    """Every public page is kept: a change no listener saw does not show."""
    for url, query in _public_pages(listing):
        assert "Qiantang" in _page(client, url, **query), url
    _retitle_behind_the_orms_back(listing, "西湖龙井 特级 Qiantang UNSEEN")
    for url, query in _public_pages(listing):
        assert "UNSEEN" not in _page(client, url, **query), url


def test_the_cache_is_on_by_default(app):
    assert app.config["PUBLIC_PAGE_CACHE_SECONDS"] > 0


def test_a_revoked_certificate_is_gone_from_every_public_page_at_once(client, certified):
    from marketplace.certification.services.certificates import revoke_certificate

    _assert_served_from_the_cache(client, certified.listing)
    revoke_certificate(certified.official, certified.certificate.id, "Lab figures were forged.")
    product = client.get(f"/listings/{certified.listing.id}")
    assert product.status_code == 404 or 'data-badge="certified"' not in product.get_data(as_text=True)
    for url, query in _public_pages(certified.listing)[1:]:
        page = _page(client, url, **query)
        assert 'data-badge="certified"' not in page and f'id="hit-{certified.listing.id}"' not in page, url


def test_a_suspended_cooperative_is_gone_from_every_public_page_at_once(client, certified):
    from marketplace.cooperatives.models import CooperativeStatus
    from marketplace.extensions import db

    _assert_served_from_the_cache(client, certified.listing)
    certified.cooperative.status = CooperativeStatus.SUSPENDED
    db.session.commit()
    for url, query in _public_pages(certified.listing):
        assert "Qiantang" not in _page(client, url, **query), url


def test_a_listing_sold_out_by_a_bulk_update_is_gone_at_once(client, certified):
    from marketplace.catalog.models import Listing, ListingStatus
    from marketplace.extensions import db

    _assert_served_from_the_cache(client, certified.listing)
    db.session.execute(update(Listing).where(Listing.id == certified.listing.id)
                       .values(stock=0, status=ListingStatus.SOLD_OUT))
    db.session.commit()
    assert client.get(f"/listings/{certified.listing.id}").status_code in (200, 404)
    for url, query in _public_pages(certified.listing)[1:]:
        assert "Qiantang" not in _page(client, url, **query), url


def test_a_new_price_shows_on_every_public_page_at_once(client, certified):
    from marketplace.extensions import db

    _assert_served_from_the_cache(client, certified.listing)
    certified.listing.price_minor = 7731
    for size in certified.listing.variants:  # the page shows the sizes' prices
        size.price_minor = 7731
    db.session.commit()
    for url, query in _public_pages(certified.listing):
        page = _page(client, url, **query)
        assert "77.31" in page and "58.00" not in page, url


def test_a_second_worker_sees_the_first_workers_revocation_at_once(app, app_config, certified):
    """Two app objects on one database, each with its own in-process copies."""
    from marketplace import create_app
    from marketplace.certification.services.certificates import revoke_certificate

    worker_b = create_app(app_config).test_client()
    url = f"/listings/{certified.listing.id}"
    assert 'data-badge="certified"' in _page(worker_b, "/search", **SEARCH)
    assert "Qiantang" in _page(worker_b, url)
    revoke_certificate(certified.official, certified.certificate.id, "Lab figures were forged.")
    assert 'data-badge="certified"' not in _page(worker_b, "/search", **SEARCH)
    assert "Qiantang" not in _page(worker_b, url) or 'data-badge="certified"' not in _page(worker_b, url)


def _fresh_for(client, listing) -> None:
    """This visitor sees a change that bumped nothing: their page was not a shared copy."""
    _retitle_behind_the_orms_back(listing, "Qiantang FRESH")
    assert "FRESH" in _page(client, f"/listings/{listing.id}")
    assert "FRESH" in _page(client, "/")


def test_a_guest_with_a_cart_never_gets_a_shared_copy(app, client, certified):
    _assert_served_from_the_cache(app.test_client(), certified.listing)
    response = client.post("/cart/add", data={"listing_id": certified.listing.id, "quantity": 1})
    assert response.status_code in (200, 302, 303)
    with client.session_transaction() as session:
        assert session.get("cart")
    _fresh_for(client, certified.listing)


def test_a_signed_in_user_never_gets_a_shared_copy(app, client, login, certified, make_user):
    _assert_served_from_the_cache(app.test_client(), certified.listing)
    login(make_user(name="Shopper"))
    _fresh_for(client, certified.listing)


def test_a_visitor_with_a_message_waiting_never_gets_a_shared_copy(app, client, certified):
    _assert_served_from_the_cache(app.test_client(), certified.listing)
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Welcome back")]
    _retitle_behind_the_orms_back(certified.listing, "Qiantang FRESH")
    page = _page(client, "/")
    assert "Welcome back" in page and "FRESH" in page


def test_search_copies_are_shared_per_normalised_query(client, certified):
    assert "Qiantang" in _page(client, "/search", q="longjing")
    _retitle_behind_the_orms_back(certified.listing, "西湖龙井 特级 Qiantang UNSEEN")
    assert "UNSEEN" not in _page(client, "/search", q="  longjing ")


def test_no_copy_outlives_a_certificate_that_runs_out_by_the_clock(client, certified):
    """A lapse changes no row and bumps nothing: the copy is kept only until that moment."""
    from datetime import timedelta

    from marketplace.extensions import db
    from marketplace.core.timeutil import utcnow

    lapse = utcnow() + timedelta(seconds=10)  # room for slow requests on a loaded machine
    certified.certificate.valid_until = lapse
    db.session.commit()
    url = f"/listings/{certified.listing.id}"
    assert 'data-badge="certified"' in _page(client, url)
    _retitle_behind_the_orms_back(certified.listing, "Qiantang UNSEEN")
    assert "UNSEEN" not in _page(client, url)  # a copy is kept while the claim holds
    deadline = time.monotonic() + 30
    while utcnow() <= lapse and time.monotonic() < deadline:  # wait on the clock itself
        time.sleep(0.05)
    page = _page(client, url)
    assert "UNSEEN" in page and 'data-badge="certified"' not in page


def test_locking_a_watched_row_takes_the_counter_first(app, certified):
    """One lock order on PostgreSQL: the counter before any listing, batch or certificate."""
    from sqlalchemy import select

    from marketplace.catalog.models import Listing
    from marketplace.extensions import db
    from marketplace.pagecache import trust

    db.session.commit()
    before = trust._version_in_database()
    db.session.scalar(select(Listing).where(Listing.id == certified.listing.id).with_for_update())
    db.session.commit()
    assert trust._version_in_database() == before + 1
