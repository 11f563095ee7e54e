"""Flagged payments: a supervisor clears a flag or gives the money back, once, audited; the queue
shows what is open and what was handled."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.core.audit import AuditEntry
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent, OrderStatus, Refund, RefundStatus
from marketplace.supervision.models import PaymentReview
from marketplace.core.timeutil import utcnow
from tests.orders.test_stripe_payment import (  # noqa: F401
    checkout_with_stripe,
    order_state,
    stripe_shop,
)
from tests.support.factories_orders import fresh, wait_for

WHY = "A payment of 1 CNY did not match the order total."
NOTE = "Checked with the bank: the buyer paid again in full by transfer."


@pytest.fixture
def flagged(market, in_request):
    from marketplace.orders.services import refunds

    order = db.session.get(Order, market.order.id)
    order.paid_at = order.payment_received_at = utcnow()
    in_request(refunds.flag, order, WHY)
    db.session.commit()
    return market


def clear(client, order_id: int, note: str = NOTE):
    return client.post(f"/admin/flagged-payments/{order_id}/clear", data={"clear-note": note})


def refund(client, order_id: int, amount: str, note: str = NOTE):
    return client.post(f"/admin/flagged-payments/{order_id}/refund",
                       data={"refund-amount": amount, "refund-note": note})


def reviews() -> list[PaymentReview]:
    db.session.expire_all()
    return list(db.session.scalars(select(PaymentReview).order_by(PaymentReview.id)))


def audited(action: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


def sections(page: str) -> tuple[str, str]:
    opened = page.split('id="flagged-payments"')[1].split('id="handled-payments"')[0]
    return opened, page.split('id="handled-payments"')[1]


def test_a_supervisor_clears_a_flag_with_a_note_and_the_queue_shows_it_handled(flagged, as_user):
    supervisor = as_user(flagged.supervisor)
    opened, handled = sections(supervisor.get("/admin/flagged-payments").get_data(as_text=True))
    assert f'id="flagged-{flagged.order.id}"' in opened and WHY in opened and "No flag handled yet" in handled
    assert clear(supervisor, flagged.order.id).status_code == 302
    order = fresh(Order, flagged.order.id)
    assert not order.flagged
    [review] = reviews()
    assert review.outcome.value == "cleared" and review.note == NOTE and review.flag_reason == WHY
    assert review.actor_id == flagged.supervisor.id and audited("payment_flag.cleared") == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "payment_flag.cleared"))
    assert entry.reason == NOTE and entry.subject_id == str(order.id)
    assert db.session.scalar(select(OrderEvent).where(OrderEvent.kind == "flag_cleared")).note == NOTE
    opened, handled = sections(supervisor.get("/admin/flagged-payments").get_data(as_text=True))
    assert "No payment is flagged" in opened and NOTE in handled and WHY in handled
    assert "payment_flag.cleared" in supervisor.get("/admin/audit-log?action=payment_flag.").get_data(as_text=True)


def test_a_flag_cleared_twice_by_the_same_form_is_handled_once(flagged, as_user):
    supervisor = as_user(flagged.supervisor)
    assert clear(supervisor, flagged.order.id).status_code == 302
    assert clear(supervisor, flagged.order.id).status_code == 302  # the double click
    assert len(reviews()) == 1 and audited("payment_flag.cleared") == 1
    other = refund(supervisor, flagged.order.id, "1.00", "Give it back after all")
    assert other.status_code == 400 and "already handled" in other.get_data(as_text=True)
    assert len(reviews()) == 1 and db.session.scalar(select(func.count(Refund.id))) == 0


def test_a_flag_needs_a_note_naming_the_field(flagged, as_user):
    response = clear(as_user(flagged.supervisor), flagged.order.id, "  ")
    assert response.status_code == 400 and 'id="clear-note-errors"' in response.get_data(as_text=True)
    assert fresh(Order, flagged.order.id).flagged and reviews() == []


@pytest.mark.parametrize("who", ["seller", "official", "buyer"])
def test_nobody_but_a_supervisor_answers_a_flag(flagged, as_user, who):
    client = as_user(getattr(flagged, who))
    assert client.get("/admin/flagged-payments").status_code == 403
    assert clear(client, flagged.order.id).status_code == 403
    assert refund(client, flagged.order.id, "1.00").status_code == 403
    assert fresh(Order, flagged.order.id).flagged and reviews() == []
    assert db.session.scalar(select(func.count(Refund.id))) == 0


def test_the_answer_forms_need_their_csrf_token(flagged, as_user, app):
    supervisor = as_user(flagged.supervisor)
    app.config["WTF_CSRF_ENABLED"] = True
    assert clear(supervisor, flagged.order.id).status_code == 400
    assert refund(supervisor, flagged.order.id, "1.00").status_code == 400
    assert fresh(Order, flagged.order.id).flagged and reviews() == []


@pytest.mark.parametrize(("amount", "message"), [
    ("", "Enter an amount"), ("abc", "Enter an amount in yuan"), ("0", "above zero"),
    ("-5", "Enter an amount in yuan"), ("99999.00", "At most"),
])
def test_a_refund_beyond_what_was_paid_or_not_an_amount_is_refused_naming_the_field(flagged, as_user, amount,
                                                                                      message):
    response = refund(as_user(flagged.supervisor), flagged.order.id, amount)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="refund-amount-errors"' in page and message in page
    assert fresh(Order, flagged.order.id).flagged and reviews() == []
    assert db.session.scalar(select(func.count(Refund.id))) == 0


def test_an_offline_payment_is_given_back_through_the_refund_path_once(flagged, as_user, outbox):
    supervisor = as_user(flagged.supervisor)
    total = flagged.order.total_minor
    assert refund(supervisor, flagged.order.id, f"{total / 100:.2f}").status_code == 302
    assert refund(supervisor, flagged.order.id, f"{total / 100:.2f}").status_code == 302  # sent twice
    order = fresh(Order, flagged.order.id)
    assert order.refunded_minor == total and not order.flagged
    [row] = db.session.scalars(select(Refund)).all()
    assert row.amount_minor == total and row.status == RefundStatus.MANUAL and row.reason == "supervisor"
    [review] = reviews()
    assert review.outcome.value == "refunded" and review.amount_minor == total and review.refund_id == row.id
    assert audited("payment_flag.refunded") == 1
    assert wait_for(lambda: [m for m in outbox() if m["To"] == flagged.buyer.email
                             and m["Subject"].startswith("Refund for your order")])


def test_a_card_payment_is_given_back_at_the_provider(
        app, client, stripe_shop, make_user, make_cooperative, make_listing_for_sale, put_in_cart, login,  # noqa: F811
        as_user, in_request):
    from marketplace.orders.services import refunds

    buyer, supervisor = make_user(), make_user(supervisor=True)
    peaches = make_listing_for_sale(make_cooperative(make_user()), price_minor=5900, stock=5, title="平谷大桃")
    put_in_cart(buyer, peaches, 1)
    login(buyer)
    order, _location = checkout_with_stripe(client)
    stripe_shop.complete(order.payment_reference)
    assert wait_for(lambda: order_state(order.id) == OrderStatus.PAID)
    paid = fresh(Order, order.id)
    in_request(refunds.flag, paid, "A second payment arrived for an order already paid.")
    db.session.commit()
    assert refund(as_user(supervisor), order.id, "20.00").status_code == 302
    paid = fresh(Order, order.id)
    assert [r["amount"] for r in stripe_shop.refunds_for(paid.payment_intent)] == [2000]
    refund_row = db.session.scalar(select(Refund))
    assert refund_row.status == RefundStatus.SUCCEEDED and paid.refunded_minor == 2000 and not paid.flagged


def test_nothing_is_given_back_for_a_flagged_order_that_was_never_paid(market, as_user, in_request):
    from marketplace.orders.services import refunds

    order = db.session.get(Order, market.order.id)
    order.paid_at = order.payment_received_at = None
    in_request(refunds.flag, order, WHY)
    db.session.commit()
    supervisor = as_user(market.supervisor)
    assert f'id="refund-form-{order.id}"' not in supervisor.get("/admin/flagged-payments").get_data(as_text=True)
    response = refund(supervisor, order.id, "1.00")
    assert response.status_code == 400 and "Nothing paid for this order" in response.get_data(as_text=True)
    assert fresh(Order, order.id).flagged and reviews() == []
    assert db.session.scalar(select(func.count(Refund.id))) == 0
