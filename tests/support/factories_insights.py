"""Factories of the insights area: sales in a month for cooperatives of given counties."""
from __future__ import annotations

import pytest


@pytest.fixture
def last_month(app):
    from marketplace.insights import snapshots

    return snapshots.current_month().previous()


@pytest.fixture
def sales_in(app, make_user, make_cooperative, make_listing_for_sale):
    """Give each of `counties` one cooperative with `orders` synthetic orders in `month`; return them."""
    from datetime import timedelta

    from marketplace.insights import snapshots, synthetic

    def make(month, counties: list[str], orders: int = 20, seed: int = 1):
        cooperatives = [make_cooperative(county=county) for county in counties]
        listings = [make_listing_for_sale(cooperative, price_minor=1000 * (index + 1), stock=5)
                    for index, cooperative in enumerate(cooperatives)]
        buyers = [make_user().id for _ in range(3)]
        start, end = month.naive_bounds(snapshots.zone())
        chosen = synthetic.listings_for_sale()
        chosen = [item for item in chosen if item.id in {listing.id for listing in listings}]
        for index, item in enumerate(chosen):
            synthetic.generate(orders, buyers, [item], start + timedelta(days=1), end - timedelta(days=6),
                               seed=seed + index)
        return cooperatives

    return make


@pytest.fixture
def listed_counties(app, make_county):
    """Make the given counties and set their poverty-lifted flags from the sourced list, as a deployment does."""
    from marketplace.core.poverty_counties import apply_poverty_flags
    from marketplace.extensions import db

    def make(*codes: str) -> None:
        for code in codes:
            make_county(code)
        apply_poverty_flags(db.session.connection())
        db.session.commit()

    return make
