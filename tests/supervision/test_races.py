"""Answers sent several times at the same moment (over real HTTP, both databases) act once."""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.core.audit import AuditEntry
from marketplace.extensions import db
from marketplace.orders.models import Order, Refund
from marketplace.supervision.models import PaymentReview, Sanction
from tests.orders.test_after_sale_refunds import _race
from tests.supervision.test_payment_flags import flagged  # noqa: F401  (fixture)

REASON = "Tins resealed and sold as the new harvest."


def count(model_column, *conditions) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(model_column)).where(*conditions))


def test_a_refund_of_a_flagged_payment_sent_at_once_is_made_once(served_app, flagged):  # noqa: F811
    total = flagged.order.total_minor
    statuses = _race(served_app, flagged.supervisor.email, f"/admin/flagged-payments/{flagged.order.id}/refund",
                     {"refund-amount": f"{total / 100:.2f}", "refund-note": "Paid twice: the first goes back."})
    assert set(statuses) == {302}, statuses  # the same answer again finds it made
    assert count(Refund.id) == 1 and count(PaymentReview.id) == 1
    assert count(AuditEntry.id, AuditEntry.action == "payment_flag.refunded") == 1
    order = db.session.get(Order, flagged.order.id)
    assert order.refunded_minor == total and not order.flagged


def test_a_take_down_lifted_by_many_clicks_at_once_is_lifted_once(served_app, market, as_user):
    as_user(market.supervisor).post(f"/admin/listings/{market.listing.id}/take-down", data={"reason": REASON})
    statuses = _race(served_app, market.supervisor.email, f"/admin/listings/{market.listing.id}/lift-take-down",
                     {"reason": "Re-test passed."})
    assert statuses.count(302) == 1 and set(statuses) <= {302, 400}, statuses
    assert count(AuditEntry.id, AuditEntry.action == "listing.take_down_lifted") == 1
    assert count(Sanction.id, Sanction.lifted_at.is_not(None)) == 1
