"""A payment that arrives when part of the order may no longer be sold.

The seller's right to sell is checked when a product enters a cart, when the order is
placed and when payment starts; but the provider's webhook can arrive minutes later,
after a supervisor set the cooperative back to "pending" or suspended it, or after the
seller took the listing offline. Such a part is never marked paid: it is cancelled, its
stock goes back, and its share of the money is refunded through the provider (the
refund is queued in the webhook's transaction and made after it commits, with its own
idempotency key; the buyer is mailed through the outbox).
"""
from __future__ import annotations

from flask_babel import gettext as _

from marketplace.core.audit import record
from marketplace.catalog.models import ListingStatus
from marketplace.orders.models import CancelReason, Order, OrderStatus, SubOrder
from marketplace.orders.services import lifecycle
from marketplace.orders.services.cart import sells_now
from marketplace.orders.services.expiry import release_sub_order

#: The refund reason (see refunds.REASON_TEXT) for money of a part that could no longer be sold.
REFUND_REASON = "seller_stopped"

#: A listing in these states is on sale (sold out only because orders hold its stock).
_LIVE = (ListingStatus.ACTIVE, ListingStatus.SOLD_OUT)


def part_may_sell(sub: SubOrder) -> bool:
    """Say whether the sub-order's cooperative still sells and every one of its listings is live."""
    if not sells_now(sub.cooperative):
        return False
    return all(line.listing is not None and line.listing.status in _LIVE for line in sub.lines)


def cancel_parts_that_cannot_sell(order: Order, subs: list[SubOrder]) -> list[SubOrder]:
    """Cancel (and free the stock of) the unpaid parts whose seller may no longer sell them.

    Returns the parts that may not be paid: those cancelled now, and those cancelled earlier
    for a reason a late payment could undo (an expired reservation) that must stay cancelled.
    """
    refused: list[SubOrder] = []
    for sub in subs:
        if sub.status == OrderStatus.PENDING_PAYMENT and not part_may_sell(sub):
            sub_id, cooperative_id = sub.id, sub.cooperative_id
            if release_sub_order(sub, "cancel", CancelReason.SELLER,
                                 note=_("The cooperative no longer sells this part: the payment is refunded.")):
                refused.append(sub)
                record("sub_order.payment_refused", "sub_order", sub_id, order_id=order.id,
                       cooperative_id=cooperative_id, reason=REFUND_REASON)
        elif (sub.status == OrderStatus.CANCELLED and sub.cancel_reason in lifecycle.REVIVABLE
              and not part_may_sell(sub)):
            refused.append(sub)
            record("sub_order.payment_refused", "sub_order", sub.id, order_id=order.id,
                   cooperative_id=sub.cooperative_id, reason=REFUND_REASON)
    if refused:
        lifecycle.add_event(order, REFUND_REASON, note=_("The payment arrived after a cooperative in this order "
                                                         "stopped selling: its part is cancelled and refunded."))
    return refused
