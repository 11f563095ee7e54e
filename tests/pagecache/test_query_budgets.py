"""How many SQL statements each main page costs, held under a budget per page.

Counted with SQLAlchemy's `before_cursor_execute` on the app's engine, on a catalogue of a
dozen certified listings so that a query per listing (an N+1) would blow the budget. A page
first built for an anonymous visitor is counted cold; its shared copy must then cost only
the trust version's read and the search area's look for claims that lapsed by the clock
(and, for a search, the row that counts it in the demand figures).
Transaction bookkeeping (BEGIN, COMMIT) is not counted.
"""
from __future__ import annotations

import os

import pytest

from tests.support.factories_certification import trace_code_of
from tests.support.statements import counted_statements

LISTINGS = int(os.environ.get("BUDGET_LISTINGS", 12))
#: Statements per page (cold), a little above today's counts. The cooperative page also
#: reads its seller record (complaints upheld, sanctions, reviews, late parcels).
BUDGETS = {"home": 16, "search": 18, "product": 11, "cooperative": 20, "verify": 5, "cart": 12,
           "seller dashboard": 16}


@pytest.fixture
def catalogue(gi_world, make_batch_certificate, make_listing):
    world = gi_world()
    certificate = make_batch_certificate(world.batch)
    listings = [make_listing(world.cooperative, title=f"西湖龙井 {n}", batch=world.batch) for n in range(LISTINGS)]
    world.certificate, world.listings = certificate, listings
    return world


def _pages(world) -> dict[str, str]:
    return {"home": "/", "search": "/search?q=longjing", "product": f"/listings/{world.listings[0].id}",
            "cooperative": f"/cooperatives/{world.cooperative.id}",
            "verify": f"/verify/{trace_code_of(world.certificate)}"}


def _cost(app, client, url) -> tuple[int, list[str]]:
    with counted_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements), statements


@pytest.mark.parametrize("name", ["home", "search", "product", "cooperative", "verify"])
def test_public_pages_stay_within_their_query_budget(app, client, catalogue, name):
    url = _pages(catalogue)[name]
    cold, statements = _cost(app, client, url)
    assert cold <= BUDGETS[name], f"{name}: {cold} statements\n" + "\n".join(statements)
    if name != "verify":  # the verify page records each scan: never a shared copy
        warm, statements = _cost(app, client, url)
        # A search served from a copy still counts for the demand figures: one row written.
        budget = 3 if name == "search" else 2
        assert warm <= budget, f"{name} (shared copy): {warm} statements\n" + "\n".join(statements)


def test_the_cart_stays_within_its_query_budget(app, client, catalogue, login):
    login(catalogue.seller)
    for listing in catalogue.listings[:LISTINGS // 2]:
        client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    cold, statements = _cost(app, client, "/cart")
    assert cold <= BUDGETS["cart"], f"cart: {cold} statements\n" + "\n".join(statements)


def test_the_seller_dashboard_stays_within_its_query_budget(app, client, catalogue, login):
    from flask import url_for

    login(catalogue.seller)
    with app.test_request_context():
        url = url_for("seller.dashboard")
    cold, statements = _cost(app, client, url)
    assert cold <= BUDGETS["seller dashboard"], f"seller dashboard: {cold} statements\n" + "\n".join(statements)
