"""Payments flagged for a person to look at, and the market supervisor's answer to each.

The payment services flag an order when a provider event does not match it (amount,
currency, checkout, a second payment, a refund that failed). A supervisor then either
clears the flag with a note (found in order, or settled with the buyer outside the shop),
or gives money back through the order's own refund path, which never refunds more than
was paid and carries the refund out at the provider once the decision has committed.

Each answer is one transaction under the order's lock: the flag cleared, a
`PaymentReview` row, a line on the order's timeline and an audit row. The same form sent
twice (a double click, a replay) finds the flag already answered in the same way and
changes nothing more; a different answer to a handled flag is refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.core.audit import record
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.core.i18n import money
from marketplace.orders.models import Order, Refund, RefundStatus
from marketplace.orders.services import lifecycle, refunds
from marketplace.orders.services.shipping import parse_money
from marketplace.core.errors import NotFound, DomainError
from marketplace.supervision.models import PaymentReview, PaymentReviewOutcome
from marketplace.supervision.services.common import check_supervisor, clean_body
from marketplace.core.timeutil import utcnow

#: Why a refund was made, for the order's refund row (the buyer's mail words it).
REFUND_REASON = "supervisor"
#: How many handled flags the queue shows.
HANDLED_SHOWN = 50


@dataclass(frozen=True)
class PaymentQueue:
    open: list[Order]
    handled: list[PaymentReview]
    refundable: dict[int, int]


def refundable_minor(order: Order) -> int:
    """What can still be given back: paid, less what was refunded or is on its way back."""
    if order.payment_received_at is None and order.paid_at is None:
        return 0
    pending = db.session.scalar(select(func.coalesce(func.sum(Refund.amount_minor), 0)).where(
        Refund.order_id == order.id, Refund.status == RefundStatus.PENDING)) or 0
    return max(0, order.total_minor - order.refunded_minor - pending)


def payment_queue(supervisor) -> PaymentQueue:
    """Flagged payments still open (oldest flag first), then the latest ones handled."""
    check_supervisor(supervisor)
    flagged = list(db.session.scalars(select(Order).where(Order.flagged.is_(True))
                                      .order_by(Order.placed_at, Order.id)))
    handled = list(db.session.scalars(select(PaymentReview)
                                      .options(selectinload(PaymentReview.actor), selectinload(PaymentReview.order))
                                      .order_by(PaymentReview.created_at.desc(), PaymentReview.id.desc())
                                      .limit(HANDLED_SHOWN)))
    return PaymentQueue(flagged, handled, {order.id: refundable_minor(order) for order in flagged})


def _answered_already(order: Order, supervisor, outcome: PaymentReviewOutcome, note: str) -> PaymentReview:
    """The same answer sent again finds it made; any other answer to a handled flag is refused."""
    latest = db.session.scalar(select(PaymentReview).where(PaymentReview.order_id == order.id)
                               .order_by(PaymentReview.id.desc()).limit(1))
    if (latest is not None and latest.actor_id == supervisor.id and latest.outcome == outcome
            and latest.note == note):
        return latest
    raise DomainError(_l("The payment of order no. %(n)s is not flagged (any more): it was already "
                              "handled. Nothing was changed.", n=order.id))


def _locked_order(order_id: int) -> Order:
    order = lifecycle.lock_order(order_id)
    if order is None:
        raise NotFound(_l("This order does not exist."))
    return order


def _close(order: Order, supervisor, outcome: PaymentReviewOutcome, note: str, now: datetime,
           amount_minor: int = 0, refund_id: int | None = None) -> PaymentReview:
    review = PaymentReview(order_id=order.id, outcome=outcome, note=note, flag_reason=order.flag_reason or "",
                           amount_minor=amount_minor, refund_id=refund_id, actor_id=supervisor.id, created_at=now)
    db.session.add(review)
    # The reasons move to the review row: a later flag on the order starts its own list.
    order.flagged, order.flag_reason = False, ""
    db.session.flush()
    lifecycle.add_event(order, "flag_cleared", actor=supervisor, note=note, outcome=outcome.value,
                        review_id=review.id)
    record(f"payment_flag.{outcome.value}", "order", order.id, actor=supervisor, reason=note,
           review_id=review.id, amount_minor=amount_minor, refund_id=refund_id, flag_reason=review.flag_reason)
    return review


def clear_flag(supervisor, order_id: int, note: str | None, now: datetime | None = None) -> PaymentReview:
    """Close a flag with a note: looked at, and nothing to give back through the shop."""
    check_supervisor(supervisor)
    note = clean_body(note, "note", required=True,
                      missing=_l("Write what you found: the note is kept in the audit log."))
    with write_transaction():
        order = _locked_order(order_id)
        if not order.flagged:
            return _answered_already(order, supervisor, PaymentReviewOutcome.CLEARED, note)
        return _close(order, supervisor, PaymentReviewOutcome.CLEARED, note, now or utcnow())


def refund_flagged(supervisor, order_id: int, amount, note: str | None,
                   now: datetime | None = None) -> PaymentReview:
    """Give back part or all of a flagged order's payment through its refund path, then close the flag."""
    check_supervisor(supervisor)
    note = clean_body(note, "note", required=True,
                      missing=_l("Write why the money goes back: the note is kept in the audit log."))
    try:
        amount_minor = parse_money(amount, "amount")
    except DomainError as error:
        raise DomainError(str(error), "amount") from error
    if amount_minor <= 0:
        raise DomainError(_l("Enter an amount above zero."), "amount")
    with write_transaction():
        order = _locked_order(order_id)
        if not order.flagged:
            return _answered_already(order, supervisor, PaymentReviewOutcome.REFUNDED, note)
        available = refundable_minor(order)
        if available == 0:
            raise DomainError(_l("Nothing paid for this order can be given back through the shop: clear "
                                      "the flag with a note instead."))
        if amount_minor > available:
            raise DomainError(_l("At most %(amount)s can be given back for this order.",
                                      amount=money(available, order.currency)), "amount")
        refund = refunds.queue_refund(order, amount_minor, REFUND_REASON, actor=supervisor)
        review = _close(order, supervisor, PaymentReviewOutcome.REFUNDED, note, now or utcnow(),
                        amount_minor=amount_minor, refund_id=refund.id if refund is not None else None)
        pending = refund.id if refund is not None and refund.status == RefundStatus.PENDING else None
    if pending is not None:
        refunds.carry_out(pending)
    return review
