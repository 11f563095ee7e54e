"""The settlement ledger: written with the payments and refunds that cause it, never changed."""
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from marketplace.extensions import db
from marketplace.orders.models import EntryKind, LedgerEntry, SubOrder
from marketplace.orders.models.ledger import LedgerIsAppendOnly
from marketplace.orders.services.ledger import commission_on
from tests.orders.test_order_life import as_user


def entries(cooperative_id):
    db.session.rollback()
    return [(e.kind, e.amount_minor) for e in db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.cooperative_id == cooperative_id).order_by(LedgerEntry.id))]


def test_commission_rounds_half_up_to_the_fen():
    assert commission_on(0, 50) == 0
    assert commission_on(10, 50) == 1  # 0.5 fen rounds up
    assert commission_on(9, 50) == 0  # 0.45 fen rounds down
    assert commission_on(7600, 25) == 190
    assert commission_on(12345, 0) == 0


def test_a_confirmed_payment_and_a_cancellation_write_sale_refund_and_commission(app, login,
                                                                                two_cooperative_order):
    app.config["PLATFORM_COMMISSION_PERMILLE"] = 50
    world = two_cooperative_order
    tea_seller, rice_seller = as_user(app, login, world["tea_seller"]), as_user(app, login, world["rice_seller"])
    tea_coop, rice_coop = world["tea"].cooperative_id, world["rice"].cooperative_id
    assert entries(tea_coop) == []  # placing an order owes nothing

    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment").status_code == 302
    tea_total = db.session.get(SubOrder, world["tea_part"]).total_minor
    assert entries(tea_coop) == [(EntryKind.SALE, tea_total), (EntryKind.COMMISSION, -commission_on(tea_total, 50))]
    assert entries(rice_coop) == []  # its part is not paid yet

    assert rice_seller.post(f"/seller/orders/{world['rice_part']}/confirm-payment").status_code == 302
    assert tea_seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment").status_code == 302  # again
    assert len(entries(tea_coop)) == 2  # a repeated confirmation adds nothing

    assert rice_seller.post(f"/seller/orders/{world['rice_part']}/cancel",
                            data={"reason": "冰雹毁了这批米"}).status_code == 302
    rice_total = db.session.get(SubOrder, world["rice_part"]).total_minor
    commission = commission_on(rice_total, 50)
    assert entries(rice_coop) == [(EntryKind.SALE, rice_total), (EntryKind.COMMISSION, -commission),
                                  (EntryKind.REFUND, -rice_total), (EntryKind.COMMISSION, commission)]
    assert sum(amount for _, amount in entries(rice_coop)) == 0


def test_ledger_entries_are_never_changed_nor_removed(app, login, two_cooperative_order):
    world = two_cooperative_order
    seller = as_user(app, login, world["tea_seller"])
    assert seller.post(f"/seller/orders/{world['tea_part']}/confirm-payment").status_code == 302
    entry = db.session.scalar(select(LedgerEntry))
    entry.amount_minor = 1
    with pytest.raises(LedgerIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalar(select(LedgerEntry)))
    with pytest.raises(LedgerIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    # Below the ORM, the database itself refuses.
    for statement in ("UPDATE ledger_entries SET amount_minor = 1", "DELETE FROM ledger_entries"):
        with pytest.raises(DBAPIError):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 1
