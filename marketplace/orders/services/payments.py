"""Payments for orders: starting a hosted checkout, offline confirmations, provider events.

An order is marked paid only by a verified provider event or, for offline payment, by the
seller confirming their part. Provider events are recorded before they are acted on, with
a unique (provider, event id): a repeat fails that insert and changes nothing, even when
ten copies arrive at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.cooperatives.services import membership_of
from marketplace.core.database import end_read, write_transaction
from marketplace.extensions import db
from marketplace.core.i18n import money
from marketplace.orders.models import (
    CancelReason,
    Order,
    OrderStatus,
    PaymentMethod,
    ProviderEventRecord,
    Refund,
    RefundStatus,
    SubOrder,
)
from marketplace.orders.services import late_payment, ledger, lifecycle, refunds
from marketplace.orders.services.cart import sells_now
from marketplace.core.errors import Conflict, DomainError, NotFound
from marketplace.orders.services.errors import SoldOut
from marketplace.orders.services.expiry import expire_if_due, release_sub_order
from marketplace.orders.services.reservations import release_stock, reserve_stock
from marketplace.payments import CheckoutRequest, LineItem, PaymentProviderError, ProviderEvent, provider_for
from marketplace.core.timeutil import as_utc, utcnow

S = OrderStatus


@dataclass(frozen=True)
class PlacedOrder:
    """A placed order, and where the shopper pays for it (or why they cannot yet)."""

    order_id: int
    #: Where to send the shopper to pay now (Stripe), if anywhere.
    payment_url: str | None = None
    #: Set when the provider could not be reached: the order is kept, payment can be retried.
    payment_problem: str | None = None


def start_payment(user, order_id: int, urls) -> PlacedOrder:
    """Open (or reopen) the hosted payment page for an unpaid order of this buyer."""
    order = expire_if_due(db.session.get(Order, order_id))
    if order is None or order.buyer_id != user.id:
        raise NotFound(_l("Order not found."))
    if order.payment_method is not PaymentMethod.STRIPE:
        raise DomainError(_l("This order is paid offline: follow the payment instructions on the order page."))
    if order.status != S.PENDING_PAYMENT:
        raise Conflict(_l("This order is no longer waiting for payment."))
    _check_sellers_may_sell(order.sub_orders)
    if order.payment_url:
        return PlacedOrder(order.id, payment_url=order.payment_url)
    success_url, cancel_url = urls(order.id) if urls else ("", "")
    lines = [LineItem(line.title, line.unit_price_minor, line.quantity)
             for sub in order.sub_orders for line in sub.lines]
    lines += [LineItem(_("Shipping: %(cooperative)s", cooperative=sub.cooperative.name), sub.shipping_minor, 1)
              for sub in order.sub_orders if sub.shipping_minor > 0]
    request = CheckoutRequest(
        order_id=order.id, amount_minor=order.total_minor, currency=order.currency, lines=tuple(lines),
        expires_at=as_utc(order.reserved_until), success_url=success_url, cancel_url=cancel_url,
        idempotency_key=f"terroir-order-{order.id}-checkout", customer_email=order.buyer.email,
    )
    end_read()  # hold no snapshot or lock while the provider answers
    try:
        started = provider_for("stripe").start_checkout(request)
    except PaymentProviderError as error:
        current_app.logger.warning("Checkout for order %s could not start: %s", order_id, error.detail)
        return PlacedOrder(order_id, payment_problem=str(error))
    with write_transaction():
        order = lifecycle.lock_order(order_id)
        if order.payment_reference in (None, started.reference):
            order.payment_reference = started.reference
            order.payment_url = started.redirect_url
    return PlacedOrder(order_id, payment_url=started.redirect_url)


def _check_sellers_may_sell(subs) -> None:
    """Refuse payment for the part of a cooperative that no longer sells (pending, suspended)."""
    for sub in subs:
        if not sells_now(sub.cooperative):
            raise DomainError(_("%(cooperative)s cannot sell at the moment, so this order cannot be paid. "
                               "Cancel it to release your other products.", cooperative=sub.cooperative.name),
                             status=409)
        if not late_payment.part_may_sell(sub):
            # The shopper may not see a listing taken offline: the message names none.
            raise DomainError(_l("Part of this order is no longer for sale, so it cannot be paid. "
                                "Cancel it to release your other products."), status=409)


def confirm_offline_payment(user, sub_order_id: int) -> SubOrder:
    """A seller confirms the money for their part of an offline order arrived (or is secured)."""
    sub = _seller_sub_order(user, sub_order_id)
    _check_sellers_may_sell([sub])
    with write_transaction():
        order = lifecycle.lock_order(sub.order_id)
        sub = db.session.get(SubOrder, sub_order_id)
        if order.provider != "offline":
            raise Conflict(_l("This order is paid online: it is marked paid when the payment service confirms it."))
        if sub.status == S.CANCELLED:
            raise Conflict(_l("This part of the order was cancelled; its stock went back on sale."))
        if not lifecycle.move(sub, "pay", actor=user, paid_at=utcnow(), payment_confirmed_by_id=user.id):
            raise Conflict(_l("The payment for this part was already confirmed."))
        lifecycle.follow_sub_orders(order, actor=user)
    return sub


def _seller_sub_order(user, sub_order_id: int) -> SubOrder:
    sub = db.session.get(SubOrder, sub_order_id)
    if sub is None or membership_of(user, sub.cooperative_id) is None:
        raise NotFound(_l("Order not found."))
    return sub


# -- provider events --------------------------------------------------------------------------

def receive_provider_event(provider: str, event: ProviderEvent) -> str:
    """Act once on a verified provider event; return what was made of it (for the log)."""
    follow_up: list[int] = []
    with write_transaction():
        entry = ProviderEventRecord(provider=provider, event_id=event.id, event_type=event.type)
        try:
            with db.session.begin_nested():  # the event's row is its "processed once" mark
                db.session.add(entry)
        except IntegrityError:
            return "duplicate"
        handler = _HANDLERS.get(event.type)
        if handler is None:
            outcome = "ignored: event type"
        else:
            order = _order_for(event)
            if order is None:
                outcome = "ignored: unknown order"
            else:
                entry.order_id = order.id
                outcome = handler(order, event, follow_up)
        entry.outcome = outcome[:80]
    refunds.carry_out_all(follow_up)
    return outcome


def _order_for(event: ProviderEvent) -> Order | None:
    order_id = event.order_id
    if order_id is None and event.payment_reference:
        order_id = db.session.scalar(select(Order.id).where(Order.payment_intent == event.payment_reference))
    if order_id is None and event.checkout_reference:
        order_id = db.session.scalar(select(Order.id).where(Order.payment_reference == event.checkout_reference))
    return lifecycle.lock_order(order_id) if order_id is not None else None


def _checkout_belongs(order: Order, event: ProviderEvent) -> bool:
    if order.payment_method is not PaymentMethod.STRIPE:
        return False
    return not (order.payment_reference and event.checkout_reference
                and order.payment_reference != event.checkout_reference)


def _mismatch(order: Order, reason: str) -> str:
    refunds.flag(order, reason)
    return "mismatch"


def _on_checkout_completed(order: Order, event: ProviderEvent, follow_up: list[int]) -> str:
    if not _checkout_belongs(order, event):
        return _mismatch(order, _("A payment event named this order but another checkout."))
    if order.payment_reference is None and event.checkout_reference:
        order.payment_reference = event.checkout_reference
    if event.payment_status == "paid":
        return _settle(order, event, follow_up)
    if event.payment_reference and not order.payment_intent:
        order.payment_intent = event.payment_reference
    lifecycle.add_event(order, "payment_processing",
                        note=_("The payment was submitted and is being processed by the bank."))
    return "awaiting asynchronous payment"


def _on_async_succeeded(order: Order, event: ProviderEvent, follow_up: list[int]) -> str:
    if not _checkout_belongs(order, event):
        return _mismatch(order, _("A payment event named this order but another checkout."))
    return _settle(order, event, follow_up)


def _on_async_failed(order: Order, event: ProviderEvent, follow_up: list[int]) -> str:
    if not _checkout_belongs(order, event):
        return _mismatch(order, _("A payment event named this order but another checkout."))
    failed = False
    for sub in list(order.sub_orders):
        if sub.status == S.PENDING_PAYMENT:
            failed |= release_sub_order(sub, "fail_payment", CancelReason.PAYMENT_FAILED,
                                        note=_("The payment failed."))
    if not failed:
        return "ignored: not awaiting payment"
    lifecycle.follow_sub_orders(order)
    return "payment failed"


def _on_checkout_expired(order: Order, event: ProviderEvent, follow_up: list[int]) -> str:
    if not _checkout_belongs(order, event):
        return _mismatch(order, _("A payment event named this order but another checkout."))
    expired = False
    for sub in list(order.sub_orders):
        if sub.status == S.PENDING_PAYMENT:
            expired |= release_sub_order(sub, "expire", CancelReason.EXPIRED,
                                         note=_("The payment page expired."))
    order.payment_url = None
    if not expired:
        return "ignored: not awaiting payment"
    lifecycle.follow_sub_orders(order)
    return "expired"


def _on_refund(order: Order, event: ProviderEvent, follow_up: list[int]) -> str:
    if event.currency and event.currency != order.currency.lower():
        return _mismatch(order, _("A refund event came in another currency."))
    if event.raw_object_type == "refund":
        return _refund_object_event(order, event)
    if event.amount_refunded_minor is None:
        return "ignored: no refunded amount"
    return _provider_refunded_total(order, event.amount_refunded_minor)


def _refund_object_event(order: Order, event: ProviderEvent) -> str:
    """A refund object changed at the provider: settle the one we asked for, if it is ours."""
    ours = db.session.scalar(select(Refund).where(Refund.provider_refund_id == event.refund_reference)) \
        if event.refund_reference else None
    if ours is None or ours.status != RefundStatus.PENDING:
        return "ignored: refund already known" if ours else "ignored: refund made elsewhere"
    if event.refund_status == "succeeded":
        ours.status = RefundStatus.SUCCEEDED
        db.session.flush()
        sub = db.session.get(SubOrder, ours.sub_order_id) if ours.sub_order_id else None
        refunds.credit(order, ours.amount_minor, ours.reason, sub_order=sub)
        return "refund succeeded"
    if event.refund_status in ("failed", "canceled"):
        ours.status = RefundStatus.FAILED
        refunds.flag(order, _("The refund of %(amount)s failed at the payment service.",
                              amount=money(ours.amount_minor, order.currency)))
        return "refund failed"
    return "refund pending"


def _provider_refunded_total(order: Order, total_refunded: int) -> str:
    """The provider says this much of the payment has been refunded in all (made here or elsewhere)."""
    if order.payment_received_at is None:
        return "ignored: no payment applied"
    if total_refunded >= order.total_minor:
        for sub in list(order.sub_orders):
            lines = [(line.variant_id, line.quantity) for line in sub.lines]
            give_back = sub.status == S.PAID and not sub.stock_released
            if lifecycle.move(sub, "refund", note=_("Refunded by the payment service."),
                              stock_released=sub.stock_released or give_back):
                ledger.record_refund(sub, sub.total_minor, "provider")
                if give_back:
                    release_stock(lines)
        lifecycle.follow_sub_orders(order)
    new = refunds.credit(order, 0, "provider", provider_total=total_refunded)
    return "refunded" if new else "ignored: refund already counted"


def _settle(order: Order, event: ProviderEvent, follow_up: list[int]) -> str:
    """Apply a completed payment: check it against the order, then mark paid or refund."""
    if event.amount_minor != order.total_minor or (event.currency or "") != order.currency.lower():
        return _mismatch(order, _("A payment of %(paid)s %(currency)s did not match the order total of "
                                  "%(total)s.", paid=event.amount_minor, currency=(event.currency or "?").upper(),
                                  total=money(order.total_minor, order.currency)))
    if order.payment_received_at is not None:
        if event.payment_reference and order.payment_intent and event.payment_reference != order.payment_intent:
            return _mismatch(order, _("A second payment arrived for an order already paid."))
        return "ignored: payment already applied"
    now = utcnow()
    order.payment_received_at = now
    if event.payment_reference:
        order.payment_intent = event.payment_reference
    order.payment_url = None
    subs = list(order.sub_orders)
    refused = late_payment.cancel_parts_that_cannot_sell(order, subs)
    paid_any = False
    for sub in subs:
        if sub.status == S.PENDING_PAYMENT:
            paid_any |= lifecycle.move(sub, "pay", note=_("Paid online."), paid_at=now)
    revivable = [sub for sub in subs if sub.status == S.CANCELLED and sub.cancel_reason in lifecycle.REVIVABLE
                 and sub not in refused]
    refund_minor, reason = 0, "cancelled_before_payment"
    if revivable:
        if _take_stock_again(revivable):
            for sub in revivable:
                paid_any |= lifecycle.move(sub, "pay_late", note=_("Paid after the reservation ran out; the "
                                                                   "stock was still there."),
                                           paid_at=now, stock_released=False, cancel_reason=None)
        else:
            refund_minor += sum(sub.total_minor for sub in revivable)
            reason = "stock_gone"
            lifecycle.add_event(order, "stock_gone", note=_("The payment arrived after the reservation ran out "
                                                            "and the products had sold out: it is refunded."))
    refund_minor += sum(sub.total_minor for sub in subs
                        if sub.status == S.CANCELLED and sub.cancel_reason not in lifecycle.REVIVABLE)
    if refused:
        refund_minor += sum(sub.total_minor for sub in refused if sub.cancel_reason in lifecycle.REVIVABLE)
        reason = late_payment.REFUND_REASON
    if refund_minor:
        refund = refunds.queue_refund(order, refund_minor, reason)
        if refund is not None:
            follow_up.append(refund.id)
    lifecycle.follow_sub_orders(order, now=now)
    if paid_any:
        return "paid"
    return "refunding" if refund_minor else "ignored: nothing to pay"


def _take_stock_again(subs: list[SubOrder]) -> bool:
    """Reserve again, all or nothing, the stock of sub-orders whose reservation ran out."""
    lines = [(line.variant_id, line.quantity) for sub in subs for line in sub.lines]
    try:
        with db.session.begin_nested():
            reserve_stock(lines)
    except SoldOut:
        return False
    return True


_HANDLERS = {
    "checkout.session.completed": _on_checkout_completed,
    "checkout.session.async_payment_succeeded": _on_async_succeeded,
    "checkout.session.async_payment_failed": _on_async_failed,
    "checkout.session.expired": _on_checkout_expired,
    "charge.refunded": _on_refund,
    "charge.refund.updated": _on_refund,
    "refund.created": _on_refund,
    "refund.updated": _on_refund,
}
