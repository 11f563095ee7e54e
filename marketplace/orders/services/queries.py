"""What buyers and sellers may see of orders, with what they may do next.

Every read applies due expiry first, so a page never shows stock held by an order whose
reservation ran out. Access is checked here: a function returns None (the page says
"not found") when the object is not the user's to see.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.cooperatives.models import Cooperative, Membership
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderStatus, PaymentMethod, Refund, RefundStatus, SubOrder
from marketplace.orders.services import lifecycle
from marketplace.orders.services.expiry import expire_if_due, expire_order
from marketplace.core.timeutil import as_utc, utcnow

S = OrderStatus

#: Seller list filters: name -> statuses shown.
SELLER_FILTERS = {
    "open": (S.PENDING_PAYMENT, S.PAID),
    "to_confirm": (S.PENDING_PAYMENT,),
    "to_ship": (S.PAID,),
    "on_the_way": (S.SHIPPED, S.DELIVERED),
    "done": (S.COMPLETED,),
    "cancelled": (S.CANCELLED, S.REFUNDED),
    "all": tuple(S),
}


@dataclass
class BuyerOrderPage:
    order: Order
    refunds: list[Refund]
    can_pay_online: bool
    can_cancel: bool
    #: Sub-orders the buyer can confirm as received.
    receivable: set[int] = field(default_factory=set)
    reserved_until: object = None
    offline: bool = False


@dataclass
class SellerSubOrderPage:
    sub: SubOrder
    order: Order
    can_confirm_payment: bool
    can_ship: bool
    can_deliver: bool
    can_cancel: bool


def _expire_due(where) -> None:
    due = db.session.scalars(
        select(Order.id).where(Order.status == S.PENDING_PAYMENT, Order.reserved_until <= utcnow(), *where)
    ).all()
    for order_id in due:
        expire_order(order_id)


def buyer_orders(user) -> list[Order]:
    """Return the shopper's orders, newest first, after applying due expiry."""
    _expire_due([Order.buyer_id == user.id])
    return list(db.session.scalars(
        select(Order).where(Order.buyer_id == user.id).order_by(Order.placed_at.desc(), Order.id.desc())
        .options(selectinload(Order.sub_orders).selectinload(SubOrder.cooperative),
                 selectinload(Order.sub_orders).selectinload(SubOrder.lines))
    ))


def buyer_order_page(user, order_id: int) -> BuyerOrderPage | None:
    """Return the shopper's order with what they may do next, or None if it is not theirs."""
    order = db.session.get(Order, order_id)
    if order is None or order.buyer_id != user.id:
        return None
    order = expire_if_due(order)
    subs = order.sub_orders
    return BuyerOrderPage(
        order=order,
        refunds=list(db.session.scalars(select(Refund).where(Refund.order_id == order.id).order_by(Refund.id))),
        can_pay_online=order.payment_method is PaymentMethod.STRIPE and order.status == S.PENDING_PAYMENT,
        can_cancel=(any(sub.status in (S.PENDING_PAYMENT, S.PAID) for sub in subs)
                    and not any(sub.status in (S.SHIPPED, S.DELIVERED, S.COMPLETED) for sub in subs)),
        receivable={sub.id for sub in subs if lifecycle.can("complete", sub.status)},
        reserved_until=as_utc(order.reserved_until) if order.status == S.PENDING_PAYMENT else None,
        offline=order.provider == "offline",
    )


def seller_cooperatives(user) -> list[Cooperative]:
    """Return the cooperatives the user is a member of."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Cooperative).join(Membership, Membership.cooperative_id == Cooperative.id)
        .where(Membership.user_id == user.id).order_by(Cooperative.name)
    ))


def seller_sub_orders(user, cooperative_id: int | None, filter_name: str) -> list[SubOrder]:
    """The parts of orders the user's cooperatives fulfil, newest first, by filter."""
    allowed = {cooperative.id for cooperative in seller_cooperatives(user)}
    wanted = allowed if cooperative_id is None else allowed & {cooperative_id}
    if not wanted:
        return []
    _expire_due([Order.id.in_(select(SubOrder.order_id).where(SubOrder.cooperative_id.in_(wanted)))])
    statuses = SELLER_FILTERS.get(filter_name, SELLER_FILTERS["all"])
    return list(db.session.scalars(
        select(SubOrder).join(Order, Order.id == SubOrder.order_id)
        .where(SubOrder.cooperative_id.in_(wanted), SubOrder.status.in_(statuses))
        .order_by(Order.placed_at.desc(), SubOrder.id.desc())
        .options(selectinload(SubOrder.order).selectinload(Order.buyer), selectinload(SubOrder.lines),
                 selectinload(SubOrder.cooperative))
        .limit(500)
    ))


def seller_sub_order_page(user, sub_order_id: int) -> SellerSubOrderPage | None:
    """Return a parcel the user's cooperative fulfils with the actions open to it, or None."""
    sub = db.session.get(SubOrder, sub_order_id)
    if sub is None or sub.cooperative_id not in {c.id for c in seller_cooperatives(user)}:
        return None
    order = expire_if_due(sub.order)
    sub = db.session.get(SubOrder, sub_order_id)
    return SellerSubOrderPage(
        sub=sub, order=order,
        can_confirm_payment=order.provider == "offline" and lifecycle.can("pay", sub.status),
        can_ship=lifecycle.can("ship", sub.status),
        can_deliver=lifecycle.can("deliver", sub.status),
        can_cancel=sub.status in (S.PENDING_PAYMENT, S.PAID),
    )


def packing_lists(user, cooperative_id: int) -> list[SubOrder] | None:
    """Every paid parcel of a cooperative still to pack; None when the user is not a member."""
    if cooperative_id not in {c.id for c in seller_cooperatives(user)}:
        return None
    return seller_sub_orders(user, cooperative_id, "to_ship")


def pending_refund_count() -> int:
    """Count refunds still waiting for the provider."""
    return len(db.session.scalars(select(Refund.id).where(Refund.status == RefundStatus.PENDING)).all())
