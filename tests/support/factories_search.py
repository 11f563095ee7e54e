"""Factories of the search tests: a small catalogue of live listings in several places."""
from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def make_product(app, make_cooperative):
    """A listing with its batch of a GI product, written directly (indexed after its commit)."""
    from marketplace.catalog.models import Batch, Listing, ListingStatus
    from marketplace.extensions import db

    cooperatives: dict[tuple[str, str], object] = {}

    def make(title: str, *, slug: str | None = None, county: str = "330106", cooperative=None,
             cooperative_name: str | None = None, category: str = "tea", price_minor: int = 5800,
             description: str = "", status: str = "active", harvest_date: date = date(2026, 4, 2)) -> Listing:
        if cooperative is None:
            key = (county, cooperative_name or "")
            if key not in cooperatives:
                cooperatives[key] = make_cooperative(county=county, name=cooperative_name)
            cooperative = cooperatives[key]
        batch = None
        if slug:
            batch = Batch(cooperative_id=cooperative.id, standard_slug=slug, county_code=county,
                          harvest_date=harvest_date, quantity=100, validation_passed=True)
            db.session.add(batch)
            db.session.flush()
        listing = Listing(cooperative_id=cooperative.id, title=title, description=description,
                          category=category, price_minor=price_minor, unit="500 g", stock=10,
                          status=ListingStatus(status), batch_id=batch.id if batch else None)
        db.session.add(listing)
        db.session.commit()
        return listing

    return make
