"""After-sales (售后), the other side: the cooperative answers (refund in full or in part,
ask for the goods back, refuse with a reason), a supervisor decides escalated requests,
and a request the cooperative left unanswered for its working days escalates by itself.

A refund is recorded under the order's lock, checked against what the parcel can still
give back (its total less every refund not failed), and made at the payment provider
after the commit (services.refunds): two answers at once give back once, and never
more than was paid.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.cooperatives.services import membership_of
from marketplace.core.database import end_read, write_transaction
from marketplace.extensions import db
from marketplace.core.i18n import money
from marketplace.orders.models import SubOrder
from marketplace.orders.models.after_sale import (
    AWAITING_SELLER,
    AfterSaleRequest,
    AfterSaleStatus,
)
from marketplace.orders.services import lifecycle, refunds
from marketplace.orders.services.after_sale import (
    NOTE_MAX,
    change_status,
    clean_text,
    lock_request,
    refundable_minor,
    tell,
)
from marketplace.orders.services.errors import Conflict, DomainError
from marketplace.orders.services.shipping import parse_money
from marketplace.core.timeutil import utcnow

A = AfterSaleStatus


def sellers_request(user, request_id: int) -> AfterSaleRequest:
    """The request, if `user` is a member of the cooperative it is addressed to; else 404."""
    request = db.session.get(AfterSaleRequest, request_id)
    if request is None or membership_of(user, request.cooperative_id) is None:
        raise DomainError(_l("After-sales request not found."), status=404)
    return request


def _refund(request: AfterSaleRequest, order, amount_minor: int, sources, actor, step: str = "refunded",
            **extra) -> int | None:
    """Grant `amount_minor` on a locked request; return the refund to carry out after commit."""
    sub = db.session.get(SubOrder, request.sub_order_id)
    available = refundable_minor(sub)
    if amount_minor > available:
        raise DomainError(_l("At most %(amount)s can still be refunded for this parcel.",
                            amount=money(available, order.currency)), "amount")
    change_status(request, sources, A.REFUNDED, refund_minor=amount_minor, decided_by_id=actor.id, **extra)
    refund = refunds.queue_refund(order, amount_minor, "after_sale", sub_order=sub, actor=actor)
    db.session.flush()
    if amount_minor == available:
        lifecycle.move(sub, "refund", actor=actor, note=str(_l("After-sales refund")))
        lifecycle.follow_sub_orders(order, actor=actor)
    tell(request, step, actor=actor, amount_minor=amount_minor, note=money(amount_minor, order.currency))
    return refund.id if refund is not None and refund.status.value == "pending" else None


def _parse_amount(amount) -> int:
    amount_minor = parse_money(amount, "amount")
    if amount_minor <= 0:
        raise DomainError(_l("Enter an amount above zero."), "amount")
    return amount_minor


def accept(user, request_id: int, amount) -> None:
    """The cooperative refunds (all or part of what was asked, up to what was paid).

    For a return, this is also how receipt of the goods is confirmed.
    """
    sellers_request(user, request_id)
    amount_minor = _parse_amount(amount)
    with write_transaction():
        request, order = lock_request(request_id)
        if request.status not in AWAITING_SELLER:
            raise DomainError(_l("This request is not waiting for your answer."), status=409)
        pending = _refund(request, order, amount_minor, list(AWAITING_SELLER), user)
    if pending:
        refunds.carry_out(pending)


def ask_goods_back(user, request_id: int, instructions) -> None:
    """The cooperative wants the goods back first: where to send them (address, contact)."""
    sellers_request(user, request_id)
    note = clean_text(instructions, "instructions", _l("Say where the buyer should send the goods."),
                      longest=NOTE_MAX, shortest=5)
    with write_transaction():
        request, _order = lock_request(request_id)
        change_status(request, [A.REQUESTED], A.GOODS_REQUESTED, seller_note=note, answer_due_at=None)
        tell(request, "goods_requested", actor=user, note=note, sellers=False)


def refuse(user, request_id: int, reason) -> None:
    """The cooperative refuses, saying why; the buyer may then take it to a supervisor."""
    sellers_request(user, request_id)
    note = clean_text(reason, "reason", _l("Say why you refuse (at least 5 characters)."), longest=NOTE_MAX,
                      shortest=5)
    with write_transaction():
        request, _order = lock_request(request_id)
        change_status(request, list(AWAITING_SELLER), A.REFUSED, seller_note=note, answer_due_at=None,
                      decided_by_id=user.id)
        tell(request, "refused", actor=user, note=note, sellers=False)


# -- supervisors ----------------------------------------------------------------------------------

def _supervisor(user) -> None:
    if not getattr(user, "is_supervisor", False):
        raise DomainError(_l("Only a market supervisor can decide this."), status=403)


def decide(user, request_id: int, *, grant: bool, amount=None, note) -> None:
    """A supervisor decides an escalated request: a refund of `amount`, or dismissed, with a reason."""
    _supervisor(user)
    text = clean_text(note, "note", _l("Give the reason for your decision (at least 5 characters)."),
                      longest=NOTE_MAX, shortest=5)
    amount_minor = _parse_amount(amount) if grant else None
    with write_transaction():
        request, order = lock_request(request_id)
        if request.status != A.ESCALATED:
            raise DomainError(_l("This request is not waiting for a supervisor."), status=409)
        pending = None
        if grant:
            pending = _refund(request, order, amount_minor, [A.ESCALATED], user, supervisor_note=text)
        else:
            change_status(request, [A.ESCALATED], A.DISMISSED, supervisor_note=text, decided_by_id=user.id)
            tell(request, "dismissed", actor=user, note=text)
    if pending:
        refunds.carry_out(pending)


def escalate_overdue(now=None, limit: int = 500) -> int:
    """Send to supervisors every request its cooperative left unanswered past the deadline.

    Each request is its own transaction, re-checked under its order's lock: one that fails
    leaves the others escalated.
    """
    now = now or utcnow()
    due = db.session.scalars(
        select(AfterSaleRequest.id).where(AfterSaleRequest.status.in_(AWAITING_SELLER),
                                          AfterSaleRequest.answer_due_at <= now)
        .order_by(AfterSaleRequest.id).limit(limit)).all()
    end_read()
    escalated = 0
    for request_id in due:
        try:
            with write_transaction():
                request, _order = lock_request(request_id)
                if request.status not in AWAITING_SELLER or request.answer_due_at is None:
                    continue  # answered meanwhile
                change_status(request, list(AWAITING_SELLER), A.ESCALATED, escalated_at=now,
                              escalated_automatically=True)
                tell(request, "escalated", by="deadline")
        except Conflict:  # answered meanwhile: change_status refused, and this one is rolled back
            continue
        escalated += 1
    return escalated
