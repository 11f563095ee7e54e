"""`flask demo load`'s orders step: every state, once, and a note when there is nothing to buy."""
import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import EntryKind, InvoiceRequest, LedgerEntry, Order, OrderStatus, SubOrder

# Loading the whole demo takes about a minute on an idle machine and several on a loaded
# one: this timeout guards against a hang, it is not a speed limit.
pytestmark = pytest.mark.timeout(1800)


def test_the_demo_step_places_orders_in_every_state_and_is_idempotent(app, make_user, make_cooperative,
                                                                      make_listing_for_sale, capsys):
    from marketplace.demo import orders as demo

    for email in demo.BUYERS:
        make_user(email)
    for county in ("330106", "230184", "350524"):
        cooperative = make_cooperative(make_user(), county=county)
        for _ in range(2):
            make_listing_for_sale(cooperative, stock=40)
    demo.load()
    states = set(db.session.scalars(select(Order.status)))
    assert states == set(OrderStatus)
    assert db.session.scalar(select(func.count()).select_from(Order)) == len(demo.PLANS)
    assert db.session.scalar(select(func.count()).select_from(Order).where(Order.refunded_minor > 0)) == 2
    # The cooperatives' statements have entries: sales, and the refunds of cancelled paid parts.
    kinds = set(db.session.scalars(select(LedgerEntry.kind)))
    assert {EntryKind.SALE, EntryKind.REFUND} <= kinds
    # A company invoice asked on the paid order; invoices asked at checkout on every part of two orders.
    asked = dict(db.session.execute(select(Order.street, func.count(InvoiceRequest.id)).join(
        SubOrder, SubOrder.order_id == Order.id).join(InvoiceRequest, InvoiceRequest.sub_order_id == SubOrder.id)
        .group_by(Order.street)).all())
    parts = dict(db.session.execute(select(Order.street, func.count(SubOrder.id)).join(
        SubOrder, SubOrder.order_id == Order.id).group_by(Order.street)).all())
    assert {street.rsplit(":", 1)[1] for street in asked} == {"paid", "waiting", "partly-paid"}
    assert all(asked[street] == parts[street] for street in asked if not street.endswith(":paid"))
    demo.load()
    assert db.session.scalar(select(func.count()).select_from(Order)) == len(demo.PLANS)
    assert "0 new demo orders" in capsys.readouterr().out


def test_the_demo_step_skips_with_a_note_when_there_are_no_listings(app, capsys):
    from marketplace.demo import orders as demo

    demo.load()
    assert "skipping demo orders" in capsys.readouterr().out
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0


def test_the_demo_holds_a_delivered_order_with_an_open_return_request(app, make_user, make_cooperative,
                                                                      make_listing_for_sale, capsys):
    from marketplace.demo import after_sale as after_sale_demo
    from marketplace.demo import orders as demo
    from marketplace.cooperatives.payee import PayeeAccount
    from marketplace.orders.models.after_sale import AfterSaleRequest, AfterSaleStatus

    for email in demo.BUYERS:
        make_user(email)
    for county in ("330106", "230184"):
        cooperative = make_cooperative(make_user(), county=county, payee=False)
        make_listing_for_sale(cooperative, stock=40)
    after_sale_demo.load_payee_accounts()
    assert db.session.scalar(select(func.count()).select_from(PayeeAccount)) == 2
    after_sale_demo.load()
    after_sale_demo.load()
    requests = db.session.scalars(select(AfterSaleRequest).order_by(AfterSaleRequest.id)).all()
    assert [r.status for r in requests] == [AfterSaleStatus.REQUESTED, AfterSaleStatus.ESCALATED]
    assert all(r.sub_order.status == OrderStatus.DELIVERED and r.photos for r in requests)
