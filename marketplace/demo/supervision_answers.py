"""Demo answers of the market supervisor: a take-down lifted, flagged payments open and handled.

Runs inside the supervision demo step. Each case is found by its words before it is made
(the lift by its reason, the flags by theirs), so the step can run again.
"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.services import refunds
from marketplace.supervision.models import PaymentReview, Sanction
from marketplace.supervision.services import lifting, payment_flags, powers

TAKE_DOWN_REASON = "演示：商品图片与实物不符。 (demo: the photos do not show the goods sold)"
LIFT_REASON = "演示：合作社已更换为实拍图片。 (demo: the cooperative replaced them with photos of the goods)"
FLAG_OPEN = "演示：收到的付款金额与订单总额不符。 (demo: the amount paid did not match the order total)"
FLAG_CLEARED = "演示：同一订单收到第二笔付款。 (demo: a second payment arrived for the order)"
CLEARED_NOTE = "演示：已与银行核实，第二笔付款已由银行退回。 (demo: checked with the bank, which returned the second payment)"


def load_answers(supervisor: User) -> int:
    """Make the demo cases that are missing; return how many were made."""
    return _lifted_take_down(supervisor) + _flagged_payments(supervisor)


def _lifted_take_down(supervisor: User) -> int:
    if db.session.scalar(select(Sanction.id).where(Sanction.lift_reason == LIFT_REASON)):
        return 0
    listing = db.session.scalar(select(Listing).where(Listing.status == ListingStatus.ACTIVE)
                                .order_by(Listing.id.desc()).limit(1))
    if listing is None:
        return 0
    powers.take_down_listing(supervisor, listing.id, TAKE_DOWN_REASON)
    lifting.lift_take_down(supervisor, listing.id, LIFT_REASON)
    return 1


def _flag(street_mark: str, reason: str) -> Order | None:
    """Flag the demo order of that state (known by its street), unless it already carries the words."""
    order = db.session.scalar(select(Order).where(Order.street.endswith(street_mark)).order_by(Order.id).limit(1))
    if order is None or reason in (order.flag_reason or ""):
        return None
    with write_transaction():
        refunds.flag(order, reason)
    return order


def _flagged_payments(supervisor: User) -> int:
    made = 0
    if _flag("demo:shipped", FLAG_OPEN) is not None:
        made += 1
    if db.session.scalar(select(PaymentReview.id).where(PaymentReview.note == CLEARED_NOTE)):
        return made
    cleared = _flag("demo:completed", FLAG_CLEARED)
    if cleared is not None:
        payment_flags.clear_flag(supervisor, cleared.id, CLEARED_NOTE)
        made += 1
    return made
