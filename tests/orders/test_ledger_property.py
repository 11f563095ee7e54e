"""A property of the ledger over random order histories: it adds up to the money that moved.

Hypothesis plays random sequences of orders over two cooperatives, payment confirmations,
buyer and seller cancellations (refunds) and shipping. The test keeps its own account of
what was paid and refunded, and after every step checks that each cooperative's sales and
refunds in the ledger equal that account, that commission is exactly the rounded rate on
what each sub-order keeps, and that no sub-order ever leaves a cooperative owing money.
"""
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import EntryKind, LedgerEntry, SubOrder
from marketplace.orders.services import fulfilment, payments
from marketplace.orders.services.errors import DomainError
from marketplace.orders.services.ledger import commission_on

PERMILLE = 37

step = st.one_of(
    st.tuples(st.just("place"), st.integers(1, 3), st.integers(0, 3)),
    st.tuples(st.just("pay"), st.integers(0, 20), st.integers(0, 1)),
    st.tuples(st.just("buyer_cancel"), st.integers(0, 20), st.just(0)),
    st.tuples(st.just("seller_cancel"), st.integers(0, 20), st.integers(0, 1)),
    st.tuples(st.just("ship"), st.integers(0, 20), st.integers(0, 1)),
)


def test_the_ledger_adds_up_to_payments_received_minus_refunds(app, make_user, make_cooperative,
                                                                 make_listing_for_sale, place_order, in_request):
    app.config["PLATFORM_COMMISSION_PERMILLE"] = PERMILLE
    buyer = make_user()
    sellers = [make_user(), make_user()]
    cooperatives = [make_cooperative(sellers[0]), make_cooperative(sellers[1], county="230184")]
    listings = [make_listing_for_sale(c, price_minor=price, stock=10_000)
                for c, price in zip(cooperatives, (1999, 3333))]
    orders: list[int] = []
    expected = {c.id: 0 for c in cooperatives}  # paid minus refunded, as this test counts it

    def sub_of(order_index, part):
        if not orders:
            return None
        subs = db.session.scalars(select(SubOrder).where(
            SubOrder.order_id == orders[order_index % len(orders)]).order_by(SubOrder.id)).all()
        return subs[part % len(subs)]

    def play(action, first, second):
        if action == "place":
            lines = [(listings[0], first)] + ([(listings[1], second)] if second else [])
            orders.append(place_order(buyer, *lines).id)
            return
        sub = sub_of(first, second)
        if sub is None:
            return
        seller = sellers[[c.id for c in cooperatives].index(sub.cooperative_id)]
        before = (sub.status.value, sub.total_minor, sub.cooperative_id)
        try:
            if action == "pay":
                in_request(payments.confirm_offline_payment, seller, sub.id)
                expected[before[2]] += before[1]
            elif action == "ship":
                in_request(fulfilment.ship, seller, sub.id, "sf", "SF1234567890")
            else:
                paid_parts = [(s.cooperative_id, s.total_minor) for s in db.session.scalars(
                    select(SubOrder).where(SubOrder.order_id == sub.order_id)) if s.status.value == "paid"]
                if action == "buyer_cancel":
                    in_request(fulfilment.cancel_by_buyer, buyer, sub.order_id)
                    refunded = paid_parts
                else:
                    in_request(fulfilment.cancel_by_seller, seller, sub.id, "sold out")
                    refunded = [(before[2], before[1])] if before[0] == "paid" else []
                for cooperative_id, total in refunded:
                    expected[cooperative_id] -= total
        except DomainError:
            db.session.rollback()

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(step, min_size=1, max_size=8))
    @example([("place", 2, 1), ("pay", 0, 0), ("pay", 0, 1), ("seller_cancel", 0, 1), ("place", 1, 2),
              ("pay", 1, 1), ("buyer_cancel", 1, 0)])
    def run(steps):
        for action, first, second in steps:
            play(action, first, second)
            check(expected)

    run()
    kinds = set(db.session.scalars(select(LedgerEntry.kind)))
    assert {EntryKind.SALE, EntryKind.REFUND, EntryKind.COMMISSION} <= kinds  # the histories moved money


def check(expected):
    db.session.rollback()
    all_entries = db.session.scalars(select(LedgerEntry)).all()
    for cooperative_id, owed in expected.items():
        mine = [e for e in all_entries if e.cooperative_id == cooperative_id]
        assert sum(e.amount_minor for e in mine if e.kind in (EntryKind.SALE, EntryKind.REFUND)) == owed
        assert sum(e.amount_minor for e in mine) >= 0  # nothing paid out, so never negative
    by_sub: dict[int, list[LedgerEntry]] = {}
    for entry in all_entries:
        by_sub.setdefault(entry.sub_order_id, []).append(entry)
    for sub_id, sub_entries in by_sub.items():
        sub = db.session.get(SubOrder, sub_id)
        kept = sum(e.amount_minor for e in sub_entries if e.kind in (EntryKind.SALE, EntryKind.REFUND))
        assert kept == sub.total_minor - sub.refunded_minor
        assert -sum(e.amount_minor for e in sub_entries if e.kind == EntryKind.COMMISSION) == \
            commission_on(kept, PERMILLE)
        assert [e.kind for e in sub_entries].count(EntryKind.SALE) == 1
