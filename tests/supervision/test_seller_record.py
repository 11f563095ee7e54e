"""The seller record on a cooperative's page: facts with their period, not a score."""
from __future__ import annotations

from datetime import timedelta

from marketplace.extensions import db
from marketplace.supervision.models import (
    Complaint,
    ComplaintKind,
    ComplaintStatus,
    Sanction,
    SanctionKind,
)
from marketplace.core.timeutil import utcnow


def record_of(page: str, name: str) -> str:
    return page.split(f'id="record-{name}">')[1].split("</dd>")[0]


def test_the_record_counts_upheld_complaints_sanctions_revocations_late_parcels_and_reviews(
        market, as_user, deliver, make_gi_authorization):
    now = utcnow()
    deliver(market.order, paid_days_ago=20, ship_days=5)  # later than SHIP_WITHIN_DAYS (3)
    for status, decided in ((ComplaintStatus.UPHELD, now - timedelta(days=3)),
                            (ComplaintStatus.UPHELD, now - timedelta(days=500)),  # outside the period
                            (ComplaintStatus.DISMISSED, now - timedelta(days=3))):
        db.session.add(Complaint(kind=ComplaintKind.COOPERATIVE, status=status, cooperative_id=market.cooperative.id,
                                 message="x", deadline=now.date(), decided_at=decided))
    db.session.add(Sanction(kind=SanctionKind.LISTING_TAKEN_DOWN, cooperative_id=market.cooperative.id,
                            listing_id=market.listing.id, reason="Resealed tins", actor_id=market.supervisor.id))
    revoked = make_gi_authorization(market.cooperative, slug="anji-white-tea", status="revoked")
    revoked.decided_at = now - timedelta(days=2)
    db.session.commit()
    page = as_user(None).get(f"/cooperatives/{market.cooperative.id}").get_data(as_text=True)
    assert record_of(page, "complaints") == "1"
    assert record_of(page, "sanctions") == "1"
    assert record_of(page, "revocations") == "1"
    assert record_of(page, "late").startswith("100% (1 / 1)")
    assert "not a score" in page
    since = (now - timedelta(days=365)).date()
    assert str(since.year) in page.split('id="seller-record"')[1].split("</p>")[0]


def test_a_cooperative_with_nothing_to_report_says_so(market, as_user, deliver):
    deliver(market.order, paid_days_ago=5, ship_days=1)
    page = as_user(None).get(f"/cooperatives/{market.cooperative.id}").get_data(as_text=True)
    assert record_of(page, "complaints") == "0" and record_of(page, "late").startswith("0% (0 / 1)")
    assert "no review" in record_of(page, "reviews")
