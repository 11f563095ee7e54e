"""What the after-sales pages show: per order, per cooperative, per supervisor; reads only."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.cooperatives.services import membership_of
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.models.after_sale import (
    AWAITING_SELLER,
    AfterSalePhoto,
    AfterSaleRequest,
    AfterSaleStatus,
)
from marketplace.orders.services.after_sale import refundable_minor, window_ends
from marketplace.core.timeutil import as_utc, utcnow

A = AfterSaleStatus

STATUS_LABELS = {
    "requested": _l("Waiting for the cooperative"),
    "goods_requested": _l("Send the goods back"),
    "goods_sent": _l("Goods on their way back"),
    "refused": _l("Refused by the cooperative"),
    "escalated": _l("With a supervisor"),
    "refunded": _l("Refunded"),
    "dismissed": _l("Dismissed by a supervisor"),
}
KIND_LABELS = {"refund": _l("Refund only"), "return": _l("Return and refund")}


@dataclass
class OrderAfterSales:
    """For the buyer's order page: each parcel's request, and where one may still be made."""

    requests: dict[int, AfterSaleRequest] = field(default_factory=dict)
    #: sub-order id -> (the most that can be asked, when the window closes)
    open_windows: dict[int, tuple[int, datetime]] = field(default_factory=dict)
    escalatable: set[int] = field(default_factory=set)


def for_order(order: Order, now: datetime | None = None) -> OrderAfterSales:
    now = now or utcnow()
    view = OrderAfterSales()
    for request in db.session.scalars(select(AfterSaleRequest).where(AfterSaleRequest.order_id == order.id)
                                      .options(selectinload(AfterSaleRequest.photos))):
        view.requests[request.sub_order_id] = request
        overdue = request.answer_due_at is not None and as_utc(request.answer_due_at) <= now
        if request.status == A.REFUSED or (request.status in AWAITING_SELLER and overdue):
            view.escalatable.add(request.id)
    for sub in order.sub_orders:
        if sub.id in view.requests or sub.status not in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
            continue
        ends = window_ends(sub)
        available = refundable_minor(sub)
        if ends is not None and now <= ends and available > 0:
            view.open_windows[sub.id] = (available, ends)
    return view


def buyer_request_form_data(user, order_id: int, sub_order_id: int):
    """The order and parcel the buyer may ask about, with the most they can ask; None if not theirs."""
    order = db.session.get(Order, order_id)
    if order is None or order.buyer_id != user.id:
        return None
    sub = next((sub for sub in order.sub_orders if sub.id == sub_order_id), None)
    if sub is None:
        return None
    return order, sub, refundable_minor(sub), window_ends(sub)


def seller_requests(user, *, waiting_only: bool) -> list[AfterSaleRequest]:
    ids = sorted(user.cooperative_ids())
    if not ids:
        return []
    query = select(AfterSaleRequest).where(AfterSaleRequest.cooperative_id.in_(ids))
    if waiting_only:
        query = query.where(AfterSaleRequest.status.in_(AWAITING_SELLER))
    return list(db.session.scalars(query.order_by(AfterSaleRequest.answer_due_at.is_(None),
                                                  AfterSaleRequest.answer_due_at, AfterSaleRequest.id.desc())
                                   .limit(200)))


def seller_request(user, request_id: int) -> AfterSaleRequest | None:
    request = db.session.get(AfterSaleRequest, request_id)
    if request is None or membership_of(user, request.cooperative_id) is None:
        return None
    return request


def request_for_sub_order(sub_order_id: int) -> AfterSaleRequest | None:
    return db.session.scalar(select(AfterSaleRequest).where(AfterSaleRequest.sub_order_id == sub_order_id))


def escalated_requests(*, show_all: bool = False) -> list[AfterSaleRequest]:
    query = select(AfterSaleRequest)
    if not show_all:
        query = query.where(AfterSaleRequest.status == A.ESCALATED)
    return list(db.session.scalars(query.order_by(AfterSaleRequest.escalated_at, AfterSaleRequest.id).limit(200)))


def photo_for(user, request_id: int, name: str) -> AfterSalePhoto | None:
    """A request's photo (or thumbnail), if `user` is its buyer, a member of its cooperative or a supervisor."""
    request = db.session.get(AfterSaleRequest, request_id)
    if request is None:
        return None
    allowed = (request.buyer_id == user.id or getattr(user, "is_supervisor", False)
               or membership_of(user, request.cooperative_id) is not None)
    if not allowed:
        return None
    return next((photo for photo in request.photos if name in (photo.filename, photo.thumbnail)), None)


def remaining(request: AfterSaleRequest) -> int:
    return refundable_minor(request.sub_order)
