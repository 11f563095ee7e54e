"""Fulfilment: sellers ship and deliver their parcels, buyers confirm receipt or cancel."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.cooperatives.services import membership_of
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import CancelReason, Order, OrderStatus, SubOrder
from marketplace.orders.services import lifecycle, refunds
from marketplace.core.errors import DomainError, NotFound
from marketplace.orders.services.expiry import close_checkout, release_sub_order
from marketplace.catalog.listing_terms import ship_day_names, shop_today, weekdays_of
from marketplace.orders.services.reservations import release_stock
from marketplace.core.timeutil import utcnow

S = OrderStatus

#: Carriers a seller picks from: (code, Chinese name, English name).
CARRIERS = (
    ("sf", "顺丰速运", "SF Express"), ("ems", "中国邮政 EMS", "China Post EMS"),
    ("jd", "京东物流", "JD Logistics"), ("zto", "中通快递", "ZTO Express"), ("yto", "圆通速递", "YTO Express"),
    ("sto", "申通快递", "STO Express"), ("yunda", "韵达快递", "Yunda Express"), ("jt", "极兔速递", "J&T Express"),
    ("deppon", "德邦快递", "Deppon Express"), ("other", "其他", "Other carrier"),
)
CARRIER_NAMES = {code: (zh, en) for code, zh, en in CARRIERS}
TRACKING_PATTERN = re.compile(r"^[A-Z0-9-]{6,40}$")


def carrier_label(code: str | None, language: str) -> str:
    """Return a carrier's name in the reader's language."""
    zh, en = CARRIER_NAMES.get(code or "", (code or "", code or ""))
    return zh if language.startswith("zh") else en


def _seller_sub_order(user, sub_order_id: int) -> tuple[Order, SubOrder]:
    """Lock the order of a sub-order the user's cooperative fulfils, or refuse as not found."""
    sub = db.session.get(SubOrder, sub_order_id)
    if sub is None or membership_of(user, sub.cooperative_id) is None:
        raise NotFound(_l("Order not found."))
    order = lifecycle.lock_order(sub.order_id)
    return order, db.session.get(SubOrder, sub_order_id)


def _buyer_order(user, order_id: int) -> Order:
    order = lifecycle.lock_order(order_id)
    if order is None or order.buyer_id != user.id:
        raise NotFound(_l("Order not found."))
    return order


def _refuse(message, field: str | None = None, status: int = 409):
    raise DomainError(message, field, status=status)


def ship(user, sub_order_id: int, carrier: str, tracking_number: str) -> SubOrder:
    """Record that a paid parcel left, with its carrier and tracking number; tell the buyer."""
    code = (carrier or "").strip()
    number = re.sub(r"\s+", "", tracking_number or "").upper()
    if code not in CARRIER_NAMES:
        raise DomainError(_l("Choose the carrier from the list."), "carrier")
    if not TRACKING_PATTERN.match(number):
        raise DomainError(_l("Enter the tracking number: 6 to 40 letters, digits or dashes."), "tracking_number")
    with write_transaction():
        order, sub = _seller_sub_order(user, sub_order_id)
        if sub.status == S.PENDING_PAYMENT:
            _refuse(_l("Confirm the payment before shipping this parcel."))
        if sub.ships_from is not None and shop_today() < sub.ships_from:
            _refuse(_("This parcel holds pre-sale goods: it ships from %(day)s, not before.",
                      day=sub.ships_from.isoformat()))
        for line in sub.lines:
            if shop_today().weekday() not in weekdays_of(line.listing):
                _refuse(_("“%(title)s” ships on %(days)s only (cold chain: not held over a closed day).",
                          title=line.title, days=ship_day_names(line.listing)))
        if not lifecycle.move(sub, "ship", actor=user, carrier=code, tracking_number=number, shipped_at=utcnow()):
            _refuse(_l("Only a paid parcel that has not left yet can be shipped."))
        lifecycle.follow_sub_orders(order, actor=user)
        cooperative = sub.cooperative.name
        lifecycle.mail_buyer(order, _("Your parcel from %(cooperative)s is on its way", cooperative=cooperative),
                             "order_shipped", cooperative=cooperative, carrier=carrier_label(code, "zh"),
                             carrier_en=carrier_label(code, "en"), tracking_number=number)
    return sub


def mark_delivered(user, sub_order_id: int) -> SubOrder:
    """The seller records that the carrier delivered the parcel."""
    with write_transaction():
        order, sub = _seller_sub_order(user, sub_order_id)
        if not lifecycle.move(sub, "deliver", actor=user, delivered_at=utcnow()):
            _refuse(_l("Only a parcel on its way can be marked delivered."))
        lifecycle.follow_sub_orders(order, actor=user)
    return sub


def confirm_receipt(user, order_id: int, sub_order_id: int) -> SubOrder:
    """The buyer confirms a parcel arrived: that part of the order is complete."""
    with write_transaction():
        order = _buyer_order(user, order_id)
        sub = db.session.get(SubOrder, sub_order_id)
        if sub is None or sub.order_id != order.id:
            _refuse(_l("Order not found."), status=404)
        if not lifecycle.move(sub, "complete", actor=user, completed_at=utcnow()):
            _refuse(_l("Only a parcel that has been shipped can be confirmed as received."))
        lifecycle.follow_sub_orders(order, actor=user)
    return sub


def cancel_by_buyer(user, order_id: int) -> Order:
    """Cancel a whole order before anything ships: stock goes back, paid money is refunded."""
    with write_transaction():
        order = _buyer_order(user, order_id)
        subs = list(order.sub_orders)
        if any(sub.status in (S.SHIPPED, S.DELIVERED, S.COMPLETED) for sub in subs):
            _refuse(_l("Part of this order has already shipped, so it can no longer be cancelled."))
        if not any(sub.status in (S.PENDING_PAYMENT, S.PAID) for sub in subs):
            _refuse(_l("This order is already cancelled."))
        queued = _end_sub_orders(order, subs, user, CancelReason.BUYER, "buyer_cancelled", _("Cancelled by the buyer."))
        lifecycle.follow_sub_orders(order, actor=user)
        provider, reference, open_checkout = order.provider, order.payment_reference, order.payment_url
        order.payment_url = None
    refunds.carry_out_all(queued)
    if provider == "stripe" and reference and open_checkout:
        close_checkout(reference)
    return order


def cancel_by_seller(user, sub_order_id: int, reason: str) -> SubOrder:
    """A cooperative cancels its part before shipping (with a reason the buyer will read)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_l("Tell the buyer why you cancel."), "reason")
    with write_transaction():
        order, sub = _seller_sub_order(user, sub_order_id)
        if sub.status not in (S.PENDING_PAYMENT, S.PAID):
            _refuse(_l("Only a part that has not shipped yet can be cancelled."))
        queued = _end_sub_orders(order, [sub], user, CancelReason.SELLER, "seller_cancelled", reason[:500])
        lifecycle.follow_sub_orders(order, actor=user)
        everything_ended = all(not s.is_live for s in order.sub_orders)
        provider, reference = order.provider, order.payment_reference
        if everything_ended:
            order.payment_url = None
    refunds.carry_out_all(queued)
    if everything_ended and provider == "stripe" and reference:
        close_checkout(reference)
    return sub


def _end_sub_orders(order: Order, subs, actor, cancel_reason: CancelReason, refund_reason: str,
                    note: str) -> list[int]:
    """Cancel the unpaid ones, refund the paid ones; stock back for both. Return refunds to carry out."""
    queued: list[int] = []
    for sub in subs:
        if sub.status == S.PENDING_PAYMENT:
            release_sub_order(sub, "cancel", cancel_reason, actor=actor, note=note)
        elif sub.status == S.PAID:
            lines = [(line.variant_id, line.quantity) for line in sub.lines]
            owed = sub.total_minor - sub.refunded_minor
            give_back = not sub.stock_released
            if lifecycle.move(sub, "refund", actor=actor, note=note, stock_released=True,
                              cancel_reason=cancel_reason, cancelled_at=utcnow()):
                if give_back:
                    release_stock(lines)
                refund = refunds.queue_refund(order, owed, refund_reason, sub_order=sub, actor=actor)
                if refund is not None and refund.id is not None and order.provider == "stripe":
                    queued.append(refund.id)
    return queued
