"""Factories of the catalog, seller and storefront tests: batches, listings, image files."""
from __future__ import annotations

import io
import itertools
from datetime import date

import pytest

_seq = itertools.count(1)


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(60, 120, 60), exif: dict | None = None) -> bytes:
    """A small real image; `exif` maps EXIF tag numbers to values to embed."""
    from PIL import Image

    image = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        for tag, value in exif.items():
            data[tag] = value
        options["exif"] = data.tobytes()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg"):
    """A (stream, filename) pair as the test client sends a file field."""
    return (io.BytesIO(data), name)


#: A Longjing tea declaration that meets the standard (moisture 6.2 % ≤ 6.5 %).
LONGJING_PASSING = {"county_code": "330106", "variety": "龙井43", "grade": "premium", "moisture": "6.2"}


@pytest.fixture
def make_batch(app, make_county):
    """A batch recorded and validated by the real service (so its report is the real one)."""
    from gi_standards.limits import parse_number

    from marketplace.catalog.models import Batch, QuantityUnit
    from marketplace.catalog.services import validate_batch
    from marketplace.catalog.standards import standard_for
    from marketplace.extensions import db

    def make(cooperative, *, slug: str = "longjing-tea", county: str | None = None,
             variety: str | None = "龙井43", grade: str | None = "premium",
             measurements: dict | None = None, harvest_date: date = date(2025, 4, 2),
             quantity_kg: int = 100) -> Batch:
        county = county or cooperative.county_code
        make_county(county)
        standard = standard_for(slug)
        values = measurements if measurements is not None else {"moisture": "6.2"}
        cleaned = {k: (parse_number(v) if parse_number(v) is not None else v) for k, v in values.items()}
        batch = Batch(cooperative_id=cooperative.id, standard_slug=slug, county_code=county,
                      harvest_date=harvest_date, variety=variety, grade=grade, quantity=quantity_kg,
                      unit=QuantityUnit.KG, quantity_kg=quantity_kg, lab_name="Test lab", lab_report_number=f"T-{next(_seq)}",
                      measurements=cleaned)
        db.session.add(batch)
        db.session.flush()
        validate_batch(batch, standard)
        db.session.commit()
        return batch

    return make


@pytest.fixture
def make_listing(app):
    """A listing written directly (its own tests go through the seller pages)."""
    from marketplace.catalog.models import Listing, ListingStatus
    from marketplace.extensions import db

    def make(cooperative, *, title: str | None = None, status: str = "active", batch=None,
             price_minor: int = 5800, stock: int = 20, category: str = "tea", description: str = "",
             unit: str = "250 g box", weight_grams: int | None = 250, units_sold: int = 0) -> Listing:
        listing = Listing(cooperative_id=cooperative.id, title=title or f"Green tea {next(_seq)}",
                          description=description, category=category, price_minor=price_minor,
                          unit=unit, stock=stock, status=ListingStatus(status),
                          weight_grams=weight_grams, units_sold=units_sold,
                          batch_id=batch.id if batch is not None else None)
        db.session.add(listing)
        db.session.commit()
        return listing

    return make


@pytest.fixture
def seller_world(make_user, make_cooperative, make_county):
    """Two cooperatives with one member each, a consumer, and the Xihu tea cooperative's data."""

    def build():
        make_county("330106")
        member = make_user(name="Member")
        other_member = make_user(name="Other member")
        cooperative = make_cooperative(member, county="330106", name="西湖茶农合作社")
        other = make_cooperative(other_member, county="230184", name="五常稻农合作社")
        return {"member": member, "other_member": other_member, "consumer": make_user(name="Consumer"),
                "cooperative": cooperative, "other": other}

    return build
