"""The one place where orders change state: the transition table and what goes with it.

Every change of a sub-order goes through `move`, which checks the table, makes the change
with a conditional UPDATE (so two requests racing for the same change cannot both make
it), and writes a timeline event and an audit row in the same transaction. The order's
own status then follows its sub-orders (`follow_sub_orders`): it is the least advanced of
its live sub-orders, or cancelled / refunded when none is live.

Callers lock the order first (`lock_order`), so that concurrent changes to sibling
sub-orders see each other: on PostgreSQL with SELECT … FOR UPDATE, on SQLite with the
write transaction that `write_transaction()` opens (BEGIN IMMEDIATE).
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from marketplace.core.audit import record
from marketplace.core.urls import external_url
from marketplace.extensions import db
from marketplace.core.i18n import money
from marketplace.core.mail import send_mail_after_commit
from marketplace.orders.events import sub_order_moved
from marketplace.orders.models import (
    ENDED,
    PROGRESS,
    CancelReason,
    Order,
    OrderEvent,
    OrderStatus,
    SubOrder,
)
from marketplace.orders.services import ledger
from marketplace.core.timeutil import utcnow

S = OrderStatus

#: action -> (the states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[OrderStatus], OrderStatus]] = {
    # Payment confirmed: by the provider's verified event, or by the seller (offline).
    "pay": (frozenset({S.PENDING_PAYMENT}), S.PAID),
    # A payment that arrived after the reservation ran out, once its stock was taken again.
    "pay_late": (frozenset({S.CANCELLED}), S.PAID),
    "ship": (frozenset({S.PAID}), S.SHIPPED),
    "deliver": (frozenset({S.SHIPPED}), S.DELIVERED),
    # The buyer confirms receipt (a delivered or a shipped parcel).
    "complete": (frozenset({S.SHIPPED, S.DELIVERED}), S.COMPLETED),
    # Before payment: by the buyer, the seller, or because the payment failed.
    "cancel": (frozenset({S.PENDING_PAYMENT}), S.CANCELLED),
    "expire": (frozenset({S.PENDING_PAYMENT}), S.CANCELLED),
    "fail_payment": (frozenset({S.PENDING_PAYMENT}), S.CANCELLED),
    # After payment: the money goes back (the stock too, if the parcel has not left).
    "refund": (frozenset({S.PAID, S.SHIPPED, S.DELIVERED, S.COMPLETED}), S.REFUNDED),
}

#: Cancellations that a late payment may undo, when the stock can be taken again.
REVIVABLE = (CancelReason.EXPIRED, CancelReason.PAYMENT_FAILED)


def can(action: str, status: OrderStatus) -> bool:
    """Say whether the transition table allows `action` from `status`."""
    return status in TRANSITIONS[action][0]


def lock_order(order_id: int) -> Order | None:
    """Load an order and its sub-orders fresh, locked for this transaction (PostgreSQL)."""
    order = db.session.scalars(
        select(Order).where(Order.id == order_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if order is not None:
        db.session.scalars(
            select(SubOrder).where(SubOrder.order_id == order_id).order_by(SubOrder.id)
            .with_for_update().execution_options(populate_existing=True)
        ).all()
    return order


def add_event(order: Order, kind: str, *, sub_order: SubOrder | None = None, actor=None, note: str = "",
              from_status: str | None = None, to_status: str | None = None, **details) -> OrderEvent:
    """Add a line to the order's timeline (in the caller's transaction)."""
    event = OrderEvent(order_id=order.id, sub_order_id=sub_order.id if sub_order else None,
                       actor_id=getattr(actor, "id", actor), kind=kind, note=note or "",
                       from_status=from_status, to_status=to_status, details=details)
    db.session.add(event)
    return event


def move(sub: SubOrder, action: str, *, actor=None, note: str = "", **fields) -> bool:
    """Apply `action` to a sub-order if the table allows it from its state; say whether it moved."""
    sources, target = TRANSITIONS[action]
    sub_id, order_id, cooperative_id, previous = sub.id, sub.order_id, sub.cooperative_id, sub.status
    if previous not in sources:
        return False
    result = db.session.execute(
        update(SubOrder).where(SubOrder.id == sub_id, SubOrder.status.in_(sources))
        .values(status=target, **fields).execution_options(synchronize_session=False)
    )
    db.session.expire(sub)
    if result.rowcount != 1:
        return False
    db.session.add(OrderEvent(order_id=order_id, sub_order_id=sub_id, actor_id=getattr(actor, "id", actor),
                              kind=action, from_status=previous.value, to_status=target.value,
                              note=note or "", details={}))
    record(f"sub_order.{action}", "sub_order", sub_id, actor=actor, reason=note or "", order_id=order_id,
           cooperative_id=cooperative_id, from_status=previous.value, to_status=target.value)
    if action in ("pay", "pay_late"):
        ledger.record_sale(sub)
    sub_order_moved.send(sub_id, action=action, actor=actor)
    return True


def status_from_sub_orders(statuses: list[OrderStatus]) -> OrderStatus:
    """Return the order status its sub-orders add up to: the least advanced live one."""
    live = [status for status in statuses if status not in ENDED]
    if not live:
        return S.REFUNDED if S.REFUNDED in statuses else S.CANCELLED
    return min(live, key=PROGRESS.index)


def follow_sub_orders(order: Order, *, actor=None, now: datetime | None = None) -> OrderStatus | None:
    """Bring the order's own status in line with its sub-orders; return the new one if it moved.

    Sends the order-level mails: paid (once every part is paid) and cancelled.
    """
    subs = db.session.scalars(
        select(SubOrder).where(SubOrder.order_id == order.id).execution_options(populate_existing=True)
    ).all()
    target = status_from_sub_orders([sub.status for sub in subs])
    previous = order.status
    if target == previous:
        return None
    now = now or utcnow()
    values = {"status": target}
    if target == S.PAID and order.paid_at is None:
        values["paid_at"] = now
    result = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == previous).values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(order)
    if result.rowcount != 1:
        return None
    add_event(order, "status", actor=actor, from_status=previous.value, to_status=target.value)
    record(f"order.{target.value}", "order", order.id, actor=actor, from_status=previous.value,
           to_status=target.value)
    if target == S.PAID:
        mail_buyer(order, _("Your order %(number)s is paid", number=order_number(order.id)), "order_paid",
                    total=money(order.total_minor, order.currency))
    elif target == S.CANCELLED:
        reasons = {sub.cancel_reason for sub in subs if sub.cancel_reason is not None}
        mail_buyer(order, _("Your order %(number)s is cancelled", number=order_number(order.id)),
                    "order_cancelled", reason=cancel_reason_text(reasons))
    return target


def order_number(order_id: int) -> str:
    """The number shoppers and sellers quote: stable, short, and not the bare row id."""
    return f"T{order_id:08d}"


def cancel_reason_text(reasons) -> str:
    """Explain a cancellation to the buyer, from the reasons of its sub-orders."""
    reasons = set(reasons)
    if CancelReason.EXPIRED in reasons:
        return _("The payment did not arrive in time, so the reserved products went back on sale.")
    if CancelReason.PAYMENT_FAILED in reasons:
        return _("The payment failed, so the reserved products went back on sale.")
    if CancelReason.SELLER in reasons:
        return _("The cooperative could not fulfil the order.")
    return _("You cancelled the order.")


def order_link(order_id: int) -> str:
    """The order page's address for a mail, on the site's public address."""
    return external_url("orders.order_detail", order_id=order_id)


def mail_buyer(order: Order, subject: str, template: str, **context) -> None:
    """Mail the order's buyer once the transaction commits (plain values only)."""
    buyer = order.buyer
    send_mail_after_commit(buyer.email, subject, template, name=buyer.display_name,
                           number=order_number(order.id), url=order_link(order.id), **context)


def reservation_minutes(provider: str) -> int:
    """Return how long an unpaid order holds its stock, by payment provider."""
    key = "ORDER_RESERVATION_MINUTES" if provider == "stripe" else "ORDER_OFFLINE_RESERVATION_MINUTES"
    return int(current_app.config[key])
