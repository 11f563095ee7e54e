"""The catalog's demo data: batches that pass and fail, 40+ listings with photos, idempotent."""
import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Batch, Listing, ListingPhoto, ListingStatus
from marketplace.extensions import db

# Loading the whole demo takes about a minute on an idle machine and several on a loaded
# one: this timeout guards against a hang, it is not a speed limit.
pytestmark = pytest.mark.timeout(1800)


def load_demo_catalog():
    from marketplace.demo import catalog, certification, people, standards

    for step in (people.load_counties_into_db, people.load_people, people.load_cooperatives, standards.load,
                 certification.load_authorizations, catalog.load):
        step()


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_load_records_batches_and_listings_once(app):
    load_demo_catalog()
    assert count(Listing, Listing.status == ListingStatus.ACTIVE) >= 40
    assert count(Batch, Batch.validation_passed.is_(True)) >= 5
    failing = db.session.scalars(select(Batch).where(Batch.validation_passed.is_(False))).all()
    assert failing and all(any(not f["passed"] for f in b.validation["findings"]) for b in failing)
    # Every batch has its lab report, but the worked example of a batch that cannot be certified.
    assert db.session.scalars(select(Batch.lab_report_number).where(Batch.lab_report_file.is_(None))).all() == [
        "ZJTQ-2025-0425"]
    assert count(Batch, Batch.quantity_kg.is_(None)) == 0
    assert count(ListingPhoto) >= 80
    before = (count(Listing), count(Batch), count(ListingPhoto))
    load_demo_catalog()
    assert (count(Listing), count(Batch), count(ListingPhoto)) == before


def test_demo_photos_differ_by_product():
    from marketplace.demo.catalog import draw_photo

    assert len({draw_photo(motif, 1, size=(80, 60)) for motif in ("tea", "rice", "goji", "peach", "oolong")}) == 5
