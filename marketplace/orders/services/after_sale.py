"""After-sales (售后), the buyer's side: asking for a refund or a return after delivery,
sending the goods back, escalating to a supervisor; and what every step shares.

The rules a cheat would try: only the buyer of the order asks, only for a parcel that was
delivered, only within AFTER_SALE_WINDOW_DAYS of delivery, only once per parcel (a unique
key, so two requests sent at once make one), and never for more than was paid for the
parcel less what was already given back. The seller's and supervisor's answers, and the
refunds, are in services.after_sale_answers.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from marketplace.core.audit import record
from marketplace.core.working_days import working_deadline
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.core.i18n import money
from marketplace.orders import after_sale_photos
from marketplace.orders.models import Order, OrderStatus, Refund, RefundStatus, SubOrder
from marketplace.orders.models.after_sale import (
    AWAITING_SELLER,
    AfterSaleKind,
    AfterSalePhoto,
    AfterSaleRequest,
    AfterSaleStatus,
)
from marketplace.orders.services import lifecycle
from marketplace.orders.services.errors import Conflict, DomainError
from marketplace.orders.services.notices import mail_members, mail_user, number_of
from marketplace.orders.services.shipping import parse_money
from marketplace.core.timeutil import as_utc, utcnow

A = AfterSaleStatus
REASON_MAX = 2000
NOTE_MAX = 1000

#: step -> the subject of the mail that tells it (given the order number)
SUBJECTS = {
    "requested": lambda n: _l("After-sales request for order %(number)s", number=n),
    "goods_requested": lambda n: _l("Order %(number)s: please send the goods back", number=n),
    "goods_sent": lambda n: _l("Order %(number)s: the goods are on their way back", number=n),
    "refused": lambda n: _l("Order %(number)s: the after-sales request was refused", number=n),
    "escalated": lambda n: _l("Order %(number)s: the after-sales request went to a supervisor", number=n),
    "refunded": lambda n: _l("Order %(number)s: the after-sales refund is granted", number=n),
    "dismissed": lambda n: _l("Order %(number)s: the supervisor decided on the after-sales request", number=n),
}


# -- shared ---------------------------------------------------------------------------------------

def delivered_at(sub: SubOrder) -> datetime | None:
    """When the parcel reached the buyer: marked delivered, or receipt confirmed."""
    moment = sub.delivered_at or sub.completed_at
    return as_utc(moment)


def window_ends(sub: SubOrder) -> datetime | None:
    moment = delivered_at(sub)
    return moment + timedelta(days=current_app.config["AFTER_SALE_WINDOW_DAYS"]) if moment else None


def refundable_minor(sub: SubOrder) -> int:
    """What can still be given back for a parcel: its total less every refund not failed."""
    given = db.session.scalar(select(func.coalesce(func.sum(Refund.amount_minor), 0)).where(
        Refund.sub_order_id == sub.id, Refund.status != RefundStatus.FAILED)) or 0
    return max(0, min(sub.total_minor - given, sub.total_minor - sub.refunded_minor))


def answer_deadline(now: datetime) -> datetime:
    return working_deadline(now, current_app.config["AFTER_SALE_ANSWER_WORKING_DAYS"])


def clean_text(raw, field: str, message, *, longest: int, shortest: int = 1) -> str:
    text = " ".join(str(raw or "").split()) if field != "reason" else str(raw or "").strip()
    if len(text) < shortest:
        raise DomainError(message, field)
    if len(text) > longest:
        raise DomainError(_l("Use at most %(n)d characters.", n=longest), field)
    return text


def lock_request(request_id: int) -> tuple[AfterSaleRequest, Order]:
    """Lock the request's order (and parcels) for this transaction, then read the request fresh.

    Call it inside `write_transaction()`: the lock lasts until that transaction ends.
    """
    order_id = db.session.scalar(select(AfterSaleRequest.order_id).where(AfterSaleRequest.id == request_id))
    if order_id is None:
        raise DomainError(_l("After-sales request not found."), status=404)
    order = lifecycle.lock_order(order_id)
    request = db.session.get(AfterSaleRequest, request_id, populate_existing=True)
    return request, order


def change_status(request: AfterSaleRequest, sources, target: AfterSaleStatus, **values) -> None:
    """Move the request from one of `sources` to `target` by a conditional UPDATE, or refuse.

    The refusal (a `Conflict`, 409) rolls back the enclosing write transaction as it leaves it.
    """
    result = db.session.execute(
        update(AfterSaleRequest).where(AfterSaleRequest.id == request.id, AfterSaleRequest.status.in_(sources))
        .values(status=target, updated_at=utcnow(), **values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict(_l("This request has already been answered; reload the page."), status=409)
    db.session.expire(request)


def tell(request: AfterSaleRequest, step: str, *, actor=None, note: str = "", buyer: bool = True,
         sellers: bool = True, **details) -> None:
    """Record the step on the order timeline and in the audit log, and mail those concerned."""
    order_id, number = request.order_id, number_of(request.order_id)
    sub = db.session.get(SubOrder, request.sub_order_id)
    lifecycle.add_event(db.session.get(Order, order_id), f"after_sale_{step}", sub_order=sub, actor=actor,
                        note=note, request_id=request.id, **details)
    record(f"after_sale.{step}", "order", order_id, actor=actor, request_id=request.id, reason=note,
           sub_order_id=request.sub_order_id, cooperative_id=request.cooperative_id, **details)
    context = {"step": step, "number": number, "note": note, "kind": request.kind.value,
                   "cooperative": sub.cooperative.name, "requested_minor": request.requested_minor,
                   "refund_minor": details.get("amount_minor"), "currency": sub.order.currency,
                   "answer_due_at": request.answer_due_at}
    if buyer:
        mail_user(request.buyer, SUBJECTS[step](number), "after_sale_notice", audience="buyer",
                  url=lifecycle.order_link(order_id), **context)
    if sellers:
        from marketplace.orders.services.seller_notices import seller_order_link

        mail_members(request.cooperative_id, SUBJECTS[step](number), "after_sale_notice", audience="seller",
                     url=seller_order_link(request.sub_order_id), **context)


# -- the buyer ------------------------------------------------------------------------------------

def request_after_sale(user, order_id: int, sub_order_id: int, *, kind, reason, amount, uploads=()) -> int:
    """The buyer asks for a refund or a return of a delivered parcel; return the request's id."""
    order = db.session.get(Order, order_id)
    sub = db.session.get(SubOrder, sub_order_id)
    if order is None or order.buyer_id != user.id or sub is None or sub.order_id != order.id:
        raise DomainError(_l("Order not found."), status=404)
    try:
        kind = AfterSaleKind(kind)
    except ValueError as error:
        raise DomainError(_l("Choose a refund or a return."), "kind") from error
    reason = clean_text(reason, "reason", _l("Say what is wrong (at least 5 characters)."), longest=REASON_MAX,
                        shortest=5)
    amount_minor = parse_money(amount, "amount")
    if amount_minor <= 0:
        raise DomainError(_l("Enter an amount above zero."), "amount")
    photos = after_sale_photos.prepare(list(uploads))

    with write_transaction():
        order = lifecycle.lock_order(order_id)
        sub = db.session.get(SubOrder, sub_order_id)
        now = utcnow()
        if sub.status not in (OrderStatus.DELIVERED, OrderStatus.COMPLETED) or delivered_at(sub) is None:
            raise DomainError(_l("After-sales requests open once the parcel has been delivered."), status=409)
        if now > window_ends(sub):
            raise DomainError(_l("After-sales requests close %(days)d days after delivery; this parcel's time "
                                 "has passed.", days=current_app.config["AFTER_SALE_WINDOW_DAYS"]), status=409)
        if db.session.scalar(select(AfterSaleRequest.id).where(AfterSaleRequest.sub_order_id == sub.id)):
            raise DomainError(_l("You have already made an after-sales request for this parcel."), status=409)
        available = refundable_minor(sub)
        if amount_minor > available:
            raise DomainError(_l("You can ask for at most %(amount)s, what you paid for this parcel less what was "
                                 "already refunded.", amount=money(available, order.currency)), "amount")
        request = AfterSaleRequest(order_id=order.id, sub_order_id=sub.id, cooperative_id=sub.cooperative_id,
                                   buyer_id=user.id, kind=kind, reason=reason, requested_minor=amount_minor,
                                   answer_due_at=answer_deadline(now), seller_note="", supervisor_note="")
        db.session.add(request)
        try:
            db.session.flush()
        except IntegrityError:  # the same parcel asked twice at once: the other one stands
            raise DomainError(_l("You have already made an after-sales request for this parcel."),
                              status=409) from None
        for photo in photos:
            filename, thumbnail = after_sale_photos.store(photo)
            db.session.add(AfterSalePhoto(request_id=request.id, filename=filename, thumbnail=thumbnail))
        tell(request, "requested", actor=user, note=reason, request_kind=kind.value, requested_minor=amount_minor,
             photos=len(photos))
        request_id = request.id
    return request_id


def own_request_or_none(user, request_id: int) -> AfterSaleRequest | None:
    request = db.session.get(AfterSaleRequest, request_id)
    return request if request is not None and request.buyer_id == user.id else None


def own_request(user, request_id: int) -> AfterSaleRequest:
    request = db.session.get(AfterSaleRequest, request_id)
    if request is None or request.buyer_id != user.id:
        raise DomainError(_l("After-sales request not found."), status=404)
    return request


def send_goods_back(user, request_id: int, tracking_number) -> None:
    """The buyer sent the goods back: record the tracking number; the seller's clock restarts."""
    own_request(user, request_id)
    tracking = "".join(str(tracking_number or "").split()).upper()
    if not 6 <= len(tracking) <= 40 or not tracking.isascii() or not tracking.isalnum():
        raise DomainError(_l("Enter the tracking number of the parcel you sent back (6 to 40 letters and "
                            "digits)."), "tracking_number")
    with write_transaction():
        request, _order = lock_request(request_id)
        due = answer_deadline(utcnow())
        change_status(request, [A.GOODS_REQUESTED], A.GOODS_SENT, return_tracking_number=tracking,
                      answer_due_at=due)
        tell(request, "goods_sent", actor=user, note=tracking, buyer=False, tracking_number=tracking)


def escalate(user, request_id: int) -> None:
    """The buyer takes a refused (or unanswered, overdue) request to a supervisor."""
    own_request(user, request_id)
    with write_transaction():
        request, _order = lock_request(request_id)
        now = utcnow()
        overdue = request.answer_due_at is not None and as_utc(request.answer_due_at) <= now
        sources = [A.REFUSED] + (list(AWAITING_SELLER) if overdue else [])
        if request.status not in sources:
            raise DomainError(_l("A request goes to a supervisor once the cooperative has refused it, or has not "
                                 "answered in time."), status=409)
        change_status(request, sources, A.ESCALATED, escalated_at=now)
        tell(request, "escalated", actor=user, by="buyer")
