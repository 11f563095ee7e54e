"""Unpaid orders give their stock back once their reservation runs out.

There is no scheduler to rely on: expiry is applied whenever an order or the stock it
holds is read (lazily), and by `flask orders expire` for orders nobody looks at. Each
sub-order is released by a conditional UPDATE of its state (see lifecycle.move), so two
readers arriving at once release its stock exactly once.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import Select, select

from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import CancelReason, Order, OrderLine, OrderStatus, SubOrder
from marketplace.orders.services import lifecycle
from marketplace.orders.services.reservations import release_stock
from marketplace.payments import PaymentProviderError, provider_for
from marketplace.core.timeutil import as_utc, utcnow


def is_due(order: Order, now: datetime | None = None) -> bool:
    """Say whether an unpaid order's reservation has run out."""
    return (order.status == OrderStatus.PENDING_PAYMENT
            and as_utc(order.reserved_until) <= (now or utcnow()))


def release_sub_order(sub: SubOrder, action: str, reason: CancelReason, *, actor=None, note: str = "",
                      now: datetime | None = None) -> bool:
    """Cancel an unpaid sub-order through `action` and put its stock back; once only."""
    lines = [(line.variant_id, line.quantity) for line in sub.lines]
    moved = lifecycle.move(sub, action, actor=actor, note=note, cancel_reason=reason,
                           cancelled_at=now or utcnow(), stock_released=True)
    if moved:
        release_stock(lines)
    return moved


def expire_order(order_id: int, now: datetime | None = None) -> bool:
    """Cancel the unpaid parts of an order whose reservation ran out; say whether any were."""
    now = now or utcnow()
    with write_transaction():
        order = lifecycle.lock_order(order_id)
        if order is None or not is_due(order, now):
            return False
        expired = False
        for sub in list(order.sub_orders):
            if sub.status == OrderStatus.PENDING_PAYMENT:
                expired |= release_sub_order(sub, "expire", CancelReason.EXPIRED, now=now)
        if expired:
            lifecycle.follow_sub_orders(order, now=now)
        provider, reference = order.provider, order.payment_reference
    if expired and provider == "stripe" and reference:
        close_checkout(reference)
    return expired


def close_checkout(reference: str) -> None:
    """Ask the provider to close the checkout, so the shopper cannot pay for released stock."""
    try:
        provider_for("stripe").cancel_checkout(reference)
    except PaymentProviderError as error:
        current_app.logger.warning("Could not expire checkout %s: %s", reference, error.detail)


def expire_if_due(order: Order | None) -> Order | None:
    """Apply expiry to an order being read; return it as it now stands."""
    if order is not None and is_due(order):
        order_id = order.id
        expire_order(order_id)
        order = db.session.get(Order, order_id, populate_existing=True)
    return order


def release_expired_reservations(listing_ids=None, now: datetime | None = None, limit: int = 500) -> int:
    """Expire the due orders (holding stock of `listing_ids`, if given); return how many.

    `listing_ids` may be ids or a SELECT of them (so a cart is checked in one query).
    """
    now = now or utcnow()
    query = select(Order.id).where(Order.status == OrderStatus.PENDING_PAYMENT, Order.reserved_until <= now)
    if listing_ids is not None:
        if isinstance(listing_ids, Select):
            wanted = listing_ids
        else:
            wanted = sorted({int(listing_id) for listing_id in listing_ids})
            if not wanted:
                return 0
        query = query.where(Order.id.in_(
            select(SubOrder.order_id).join(OrderLine, OrderLine.sub_order_id == SubOrder.id)
            .where(OrderLine.listing_id.in_(wanted), SubOrder.status == OrderStatus.PENDING_PAYMENT)
        ))
    due = db.session.scalars(query.order_by(Order.id).limit(limit)).all()
    return sum(1 for order_id in due if expire_order(order_id, now))
