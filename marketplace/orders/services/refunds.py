"""Giving money back through the order's payment provider.

A refund is recorded first (pending, with its own idempotency key) in the transaction
that decides it, and carried out at the provider after that commits: a provider that
cannot be reached leaves the refund pending for `flask orders retry-refunds`, and a retry
with the same key never refunds twice. What the order counts as refunded only grows, to
the larger of what our refunds and the provider's own totals say, so a refund made here
and reported again by the provider's webhook is counted once.
"""
from __future__ import annotations

import uuid

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.audit import record
from marketplace.core.database import end_read, write_transaction
from marketplace.extensions import db
from marketplace.core.i18n import money
from marketplace.orders.models import Order, Refund, RefundStatus, SubOrder
from marketplace.orders.services import ledger, lifecycle
from marketplace.payments import PaymentProviderError, provider_for

#: Why a refund was made, as the buyer's mail says it.
REASON_TEXT = {
    "buyer_cancelled": lambda: _("You cancelled the order."),
    "seller_cancelled": lambda: _("The cooperative could not fulfil its part of your order."),
    "stock_gone": lambda: _("Your payment arrived after the reservation ran out, and the products had sold "
                            "out meanwhile."),
    "cancelled_before_payment": lambda: _("Part of your order had been cancelled before your payment arrived."),
    "provider": lambda: _("A refund was made by the payment service."),
    "after_sale": lambda: _("Your after-sales request was granted."),
    "supervisor": lambda: _("The market supervisor reviewed your payment and had it given back."),
    "seller_stopped": lambda: _("Your payment arrived after the cooperative stopped selling the products (or took "
                                "them offline), so that part of your order is cancelled."),
}


def queue_refund(order: Order, amount_minor: int, reason: str, *, sub_order: SubOrder | None = None,
                 actor=None) -> Refund | None:
    """Record a refund of `amount_minor` in the current transaction; offline ones are done by hand.

    Returns the refund, or None when nothing was paid through a provider for it.
    """
    if amount_minor <= 0:
        return None
    refund = Refund(order_id=order.id, sub_order_id=sub_order.id if sub_order else None,
                    amount_minor=amount_minor, reason=reason, idempotency_key=f"terroir-refund-{uuid.uuid4().hex}")
    if order.provider != "stripe":
        refund.status = RefundStatus.MANUAL
    db.session.add(refund)
    db.session.flush()
    lifecycle.add_event(order, "refund_requested", sub_order=sub_order, actor=actor,
                        note=money(amount_minor, order.currency), amount_minor=amount_minor, reason=reason)
    record("refund.requested", "order", order.id, actor=actor, amount_minor=amount_minor, reason=reason,
           refund_id=refund.id)
    if refund.status == RefundStatus.MANUAL:
        credit(order, amount_minor, reason, sub_order=sub_order, manual=True)
    return refund


def credit(order: Order, amount_minor: int, reason: str, *, sub_order: SubOrder | None = None,
           provider_total: int | None = None, manual: bool = False) -> int:
    """Count money as given back (never twice); mail the buyer about what is new; return it."""
    if sub_order is not None:
        ledger.record_refund(sub_order, amount_minor, reason)
    ours = sum(db.session.scalars(select(Refund.amount_minor).where(
        Refund.order_id == order.id, Refund.status.in_([RefundStatus.SUCCEEDED, RefundStatus.MANUAL]))))
    target = min(order.total_minor, max(order.refunded_minor, ours, provider_total or 0))
    new = target - order.refunded_minor
    if new <= 0:
        return 0
    order.refunded_minor = target
    lifecycle.add_event(order, "refunded", note=money(new, order.currency), amount_minor=new, reason=reason)
    record("order.refund_credited", "order", order.id, amount_minor=new, refunded_minor=target, reason=reason)
    text = REASON_TEXT.get(reason, REASON_TEXT["provider"])()
    if manual:
        how = _("The cooperative will give the money back the way you paid it; contact it if you have questions.")
    else:
        how = _("The money goes back to the account you paid with; banks may take a few days to show it.")
    lifecycle.mail_buyer(order, _("Refund for your order %(number)s", number=lifecycle.order_number(order.id)),
                         "order_refunded", amount=money(new, order.currency),
                         total_refunded=money(target, order.currency), reason=text, how=how)
    return new


def carry_out(refund_id: int) -> RefundStatus | None:
    """Make a pending refund at the provider, then record what it says (outside any transaction)."""
    refund = db.session.get(Refund, refund_id)
    if refund is None or refund.status != RefundStatus.PENDING:
        return refund.status if refund else None
    order = refund.order
    provider_name, payment, currency = order.provider, order.payment_intent, order.currency
    amount, key, order_id = refund.amount_minor, refund.idempotency_key, order.id
    end_read()  # hold no snapshot or lock while the provider answers
    try:
        result = provider_for(provider_name).refund(payment, amount, currency, key)
    except PaymentProviderError as error:
        current_app.logger.warning("Refund %s failed at the provider: %s", refund_id, error.detail)
        with write_transaction():
            refund = db.session.get(Refund, refund_id, populate_existing=True)
            refund.last_error = (error.detail or str(error))[:2000]
        return RefundStatus.PENDING
    with write_transaction():
        return _record_refund_result(order_id, refund_id, result)


def _record_refund_result(order_id: int, refund_id: int, result) -> RefundStatus:
    """Record what the provider said of a refund, unless another worker already did."""
    order = lifecycle.lock_order(order_id)
    refund = db.session.get(Refund, refund_id, populate_existing=True)
    if refund.status != RefundStatus.PENDING:
        return refund.status
    amount = refund.amount_minor
    refund.provider_refund_id = result.reference
    if result.status == "succeeded":
        refund.status = RefundStatus.SUCCEEDED
        db.session.flush()
        record("refund.succeeded", "order", order.id, amount_minor=amount, refund_id=refund.id,
               provider_refund_id=result.reference)
        sub = db.session.get(SubOrder, refund.sub_order_id) if refund.sub_order_id else None
        credit(order, amount, refund.reason, sub_order=sub)
    elif result.status == "failed":
        refund.status = RefundStatus.FAILED
        flag(order, _("The refund of %(amount)s failed at the payment service.",
                      amount=money(amount, order.currency)))
        record("refund.failed", "order", order.id, amount_minor=amount, refund_id=refund.id)
    return refund.status


def carry_out_all(refund_ids) -> None:
    """Carry out several pending refunds, one after the other."""
    for refund_id in refund_ids:
        carry_out(refund_id)


def retry_pending(limit: int = 200) -> int:
    """Try again the refunds a provider could not make before; return how many went through."""
    ids = db.session.scalars(select(Refund.id).where(Refund.status == RefundStatus.PENDING)
                             .order_by(Refund.id).limit(limit)).all()
    return sum(1 for refund_id in ids if carry_out(refund_id) == RefundStatus.SUCCEEDED)


def flag(order: Order, reason: str) -> None:
    """Mark an order for a person to look at, with a timeline event and an audit row."""
    order.flagged = True
    order.flag_reason = (f"{order.flag_reason}\n{reason}" if order.flag_reason else reason)[:4000]
    lifecycle.add_event(order, "flagged", note=reason)
    record("order.flagged", "order", order.id, reason=reason)
