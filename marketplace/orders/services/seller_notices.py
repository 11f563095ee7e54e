"""Telling cooperatives about their orders: mail on each step, counts of what waits for them,
and the reminder before an offline order's reservation runs out.

The mails are sent from signal handlers (orders.events) inside the transaction of the
change, so a change that rolls back tells nobody, and a change made twice at once (two
webhooks, two clicks) moves once and mails once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.core.audit import record
from marketplace.cooperatives.payee import PayeeAccount
from marketplace.core.urls import external_url
from marketplace.core.errors import Conflict
from marketplace.core.database import end_read, write_transaction
from marketplace.extensions import db
from marketplace.orders.events import order_placed, sub_order_moved
from marketplace.orders.models import Order, OrderStatus, PaymentMethod, SubOrder
from marketplace.orders.models.after_sale import (
    AWAITING_SELLER,
    AfterSaleRequest,
    PaymentReminder,
)
from marketplace.orders.services.notices import mail_members, mail_user, number_of
from marketplace.core.timeutil import utcnow

#: action of the transition table -> (the subject, given the order number; what happened)
_MOVES = {
    "pay": (lambda number: _l("Order %(number)s is paid: please ship it", number=number), "paid"),
    "cancel": (lambda number: _l("Order %(number)s was cancelled", number=number), "cancelled"),
}
_MOVES["pay_late"] = _MOVES["pay"]
_MOVES["expire"] = _MOVES["fail_payment"] = _MOVES["cancel"]


def seller_order_link(sub_order_id: int) -> str:
    return external_url("orders_seller.sub_order", sub_order_id=sub_order_id)


def _mail_sub_order(sub: SubOrder, subject, event: str, **extra) -> None:
    """Mail the members of the parcel's cooperative; `subject(number)` gives the lazy subject."""
    order = sub.order
    number = number_of(order.id)
    mail_members(sub.cooperative_id, subject(number), "seller_order_notice", event=event, number=number,
                 cooperative=sub.cooperative.name, lines=[(line.title, line.quantity) for line in sub.lines],
                 total_minor=sub.total_minor, currency=order.currency, payment_method=order.payment_method.value,
                 reserved_until=order.reserved_until, url=seller_order_link(sub.id), **extra)


def on_order_placed(order: Order, **_extra) -> None:
    from marketplace.orders.services.invoices import for_order

    asked = for_order(order.id)  # an invoice (发票) asked for with the order
    for sub in order.sub_orders:
        invoice = asked.get(sub.id)
        _mail_sub_order(sub, lambda number: _l("New order %(number)s", number=number), "placed",
                        invoice_title=invoice.title if invoice else "")


def on_sub_order_moved(sub_order_id: int, action: str, **_extra) -> None:
    if action not in _MOVES:
        return
    subject, event = _MOVES[action]
    sub = db.session.get(SubOrder, sub_order_id)
    if sub is not None:
        _mail_sub_order(sub, subject, event)


def connect() -> None:
    """Listen for order changes (once per process: blinker keeps the handlers)."""
    order_placed.connect(on_order_placed, weak=False)
    sub_order_moved.connect(on_sub_order_moved, weak=False)


# -- counts -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SellerCounts:
    #: Parts waiting for the seller: an offline payment to confirm, or a paid parcel to ship.
    orders_to_handle: int
    #: After-sales requests waiting for the seller's answer (or the returned goods' receipt).
    returns_to_answer: int

    @property
    def total(self) -> int:
        return self.orders_to_handle + self.returns_to_answer


def seller_counts(cooperative_ids) -> SellerCounts:
    """Count what waits for the seller in these cooperatives (two small queries)."""
    ids = sorted(set(cooperative_ids))
    if not ids:
        return SellerCounts(0, 0)
    offline = [PaymentMethod.BANK_TRANSFER, PaymentMethod.CASH_ON_DELIVERY]
    orders = db.session.scalar(
        select(func.count(SubOrder.id)).join(Order, Order.id == SubOrder.order_id)
        .where(SubOrder.cooperative_id.in_(ids),
               (SubOrder.status == OrderStatus.PAID)
               | ((SubOrder.status == OrderStatus.PENDING_PAYMENT) & Order.payment_method.in_(offline)
                  & (Order.reserved_until > utcnow()))))
    returns = db.session.scalar(
        select(func.count(AfterSaleRequest.id))
        .where(AfterSaleRequest.cooperative_id.in_(ids), AfterSaleRequest.status.in_(AWAITING_SELLER)))
    return SellerCounts(orders or 0, returns or 0)


# -- reminders before an offline order expires ---------------------------------------------------

def send_payment_reminders(now=None, limit: int = 500) -> int:
    """Remind buyers and sellers of offline orders whose reservation ends soon; return how many.

    Each order is reminded once: the reminder row is inserted first, so two runs at once
    (two cron hosts) remind once.
    """
    now = now or utcnow()
    soon = now + timedelta(minutes=current_app.config["ORDER_PAYMENT_REMINDER_MINUTES"])
    due = db.session.scalars(
        select(Order.id).outerjoin(PaymentReminder, PaymentReminder.order_id == Order.id)
        .where(Order.status == OrderStatus.PENDING_PAYMENT, Order.payment_method != PaymentMethod.STRIPE,
               Order.reserved_until > now, Order.reserved_until <= soon, PaymentReminder.order_id.is_(None))
        .order_by(Order.id).limit(limit)).all()
    end_read()
    return sum(1 for order_id in due if _remind(order_id))


class _RemindedElsewhere(Conflict):
    """Another run inserted this order's reminder first (this run skips the order)."""


def _remind(order_id: int) -> bool:
    """Remind one order in its own transaction; False if another run reminded it first."""
    from marketplace.orders.services.lifecycle import order_link

    try:
        with write_transaction():
            db.session.add(PaymentReminder(order_id=order_id))
            try:
                db.session.flush()
            except IntegrityError:
                raise _RemindedElsewhere from None
            order = db.session.get(Order, order_id)
            mail_user(order.buyer, _l("Your order %(number)s is waiting for your payment",
                                      number=number_of(order.id)),
                      "payment_reminder", number=number_of(order.id), reserved_until=order.reserved_until,
                      payment_method=order.payment_method.value, url=order_link(order.id),
                      transfers=bank_transfer_details(order))
            for sub in order.sub_orders:
                if sub.status == OrderStatus.PENDING_PAYMENT:
                    _mail_sub_order(sub, lambda number: _l("Order %(number)s expires soon: has the payment "
                                                           "arrived?", number=number), "reminder")
            record("order.payment_reminded", "order", order.id, reserved_until=order.reserved_until.isoformat())
    except _RemindedElsewhere:
        return False
    return True


# -- bank transfer details ------------------------------------------------------------------------

@dataclass(frozen=True)
class TransferDetails:
    """What a buyer needs to pay one cooperative by bank transfer."""

    sub_order_id: int
    cooperative_name: str
    bank_name: str
    account_name: str
    account_number: str
    amount_minor: int
    currency: str
    reference: str


def bank_transfer_details(order: Order) -> list[TransferDetails]:
    """One transfer per unpaid parcel of a bank-transfer order, the order number as reference."""
    if order.payment_method is not PaymentMethod.BANK_TRANSFER:
        return []
    subs = [sub for sub in order.sub_orders if sub.status == OrderStatus.PENDING_PAYMENT]
    accounts = {account.cooperative_id: account for account in db.session.scalars(
        select(PayeeAccount).where(PayeeAccount.cooperative_id.in_([sub.cooperative_id for sub in subs])))}
    details = []
    for sub in subs:
        account = accounts.get(sub.cooperative_id)
        if account is not None:
            details.append(TransferDetails(sub.id, sub.cooperative.name, account.bank_name, account.account_name,
                                           account.account_number_grouped, sub.total_minor, order.currency,
                                           number_of(order.id)))
    return details
