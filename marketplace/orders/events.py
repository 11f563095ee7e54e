"""Signals sent when an order is placed or one of its parcels changes state.

They are sent inside the transaction that made the change, so a listener that stores
something (a mail in the outbox) commits or rolls back with it. Sellers' notifications
listen here (see services.seller_notices); the lifecycle knows nothing of who is told.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sender: the Order just placed (its sub-orders and lines are loaded).
order_placed = _signals.signal("order-placed")
#: sender: the SubOrder id; `action`: the transition applied ("pay", "cancel", "expire"…).
sub_order_moved = _signals.signal("sub-order-moved")
