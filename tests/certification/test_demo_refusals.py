"""The demo keeps a worked example of each batch-side refusal, visible to the demo seller."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.catalog.models import Batch, Listing
from marketplace.certification.models import BatchCertificate, CertificateStatus
from marketplace.extensions import db
from tests.catalog.test_mass_balance import field_errors
from tests.seller.test_listings import listing_form

DEMO_PASSWORD = "terroir-demo-2026"


def _load_demo(app):
    from marketplace.demo import catalog, certification, people, standards

    with app.test_request_context():
        for step in (people.load_counties_into_db, people.load_people, people.load_cooperatives, standards.load,
                     catalog.load, certification.load):
            step()


def _batch(number: str) -> Batch:
    return db.session.scalar(select(Batch).where(Batch.lab_report_number == number))


def test_the_demo_seller_sees_each_refusal_and_meets_it(app, login):
    from marketplace.accounts.models import User

    _load_demo(app)
    seller = app.test_client()
    login(db.session.scalar(select(User).where(User.email == "seller.longjing@terroir.demo")),
          password=DEMO_PASSWORD, test_client=seller)
    overview = seller.get("/seller/certification/").get_data(as_text=True)
    elsewhere, no_report, full = _batch("ZJTQ-2025-0411"), _batch("ZJTQ-2025-0425"), _batch("ZJTQ-2025-0420")

    # Origin outside the authorization's production sites: shown, and refused when tried.
    assert f'id="problem-{elsewhere.id}"' in overview and "not a production site" in overview
    page = seller.post(f"/seller/certification/batches/{elsewhere.id}/submit", follow_redirects=True)
    assert "not a production site" in page.get_data(as_text=True)
    # No lab report document: shown, and refused when tried.
    assert f'id="problem-{no_report.id}"' in overview and "no lab report document" in overview
    seller.post(f"/seller/certification/batches/{no_report.id}/submit")
    assert db.session.scalar(select(BatchCertificate).where(
        BatchCertificate.batch_id.in_([elsewhere.id, no_report.id]))) is None

    # Mass balance: the 5 kg batch is wholly on sale (or sold); one more box is refused.
    assert "0 kg free" in seller.get(f"/seller/batches/{full.id}").get_data(as_text=True)
    listing = db.session.scalar(select(Listing).where(Listing.batch_id == full.id))
    response = seller.post(f"/seller/listings/{listing.id}/edit", data=listing_form(
        listing.cooperative, title=listing.title, description=listing.description, status="active",
        unit=listing.unit, price="298.00", stock=str(listing.stock + 1), stock_seen=str(listing.stock),
        weight_grams="250", batch_id=str(full.id)))
    assert response.status_code == 400 and "can offer at most" in field_errors(response, "stock")


def test_demo_batches_hold_their_listings_and_certificates_record_the_review(app):
    _load_demo(app)
    for batch in db.session.scalars(select(Batch)):
        listings = db.session.scalars(select(Listing).where(Listing.batch_id == batch.id)).all()
        assert all(listing.weight_grams for listing in listings)
        used = sum((listing.stock + listing.units_sold) * listing.weight_grams for listing in listings)
        assert batch.quantity_grams and used <= batch.quantity_grams, batch.lab_report_number
    certified = db.session.scalars(select(BatchCertificate).where(
        BatchCertificate.status == CertificateStatus.CERTIFIED)).all()
    assert certified and all(c.review["lab_report"]["read"] and c.batch.lab_report_file for c in certified)
    assert all(c.county_code == c.cooperative.county_code for c in db.session.scalars(select(BatchCertificate)))
