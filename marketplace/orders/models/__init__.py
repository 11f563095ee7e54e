"""Carts, orders, payments and shipping rules."""
from marketplace.orders.models.cart import CartItem  # noqa: F401
from marketplace.orders.models.invoice import InvoiceKind, InvoiceRequest  # noqa: F401
from marketplace.orders.models.ledger import EntryKind, LedgerEntry, Payout  # noqa: F401
from marketplace.orders.models.order import (  # noqa: F401
    ENDED,
    PROGRESS,
    CancelReason,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    SubOrder,
)
from marketplace.orders.models.payment import ProviderEventRecord, Refund, RefundStatus  # noqa: F401
from marketplace.orders.models.shipping import ShippingFeeKind, ShippingRule  # noqa: F401
from marketplace.orders.models.pickup import PickupPoint  # noqa: F401
