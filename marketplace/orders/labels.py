"""Words shown for states and events, in the reader's language. Presentation only."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.regions import province_label
from marketplace.orders.services.delivery import tracking_url
from marketplace.orders.services.fulfilment import carrier_label
from marketplace.orders.services.lifecycle import order_number

STATUS = {
    "pending_payment": _l("Waiting for payment"),
    "paid": _l("Paid"),
    "shipped": _l("Shipped"),
    "delivered": _l("Delivered"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
    "refunded": _l("Refunded"),
}

EVENTS = {
    "placed": _l("Order placed"),
    "pay": _l("Payment confirmed"),
    "pay_late": _l("Late payment accepted"),
    "ship": _l("Parcel shipped"),
    "deliver": _l("Parcel delivered"),
    "complete": _l("Receipt confirmed"),
    "cancel": _l("Cancelled"),
    "expire": _l("Reservation ran out"),
    "fail_payment": _l("Payment failed"),
    "refund": _l("Refunded"),
    "refund_requested": _l("Refund requested"),
    "refunded": _l("Money given back"),
    "status": _l("Order status changed"),
    "payment_processing": _l("Payment being processed"),
    "stock_gone": _l("Products sold out before payment"),
    "seller_stopped": _l("Cooperative stopped selling before payment"),
    "flagged": _l("Flagged for review"),
    "flag_cleared": _l("Flag handled by the market supervisor"),
    "after_sale_requested": _l("After-sales request made"),
    "after_sale_goods_requested": _l("Cooperative asked for the goods back"),
    "after_sale_goods_sent": _l("Goods sent back"),
    "after_sale_refused": _l("After-sales request refused"),
    "after_sale_escalated": _l("After-sales request sent to a supervisor"),
    "after_sale_refunded": _l("After-sales refund granted"),
    "after_sale_dismissed": _l("Supervisor dismissed the after-sales request"),
}

PAYMENT_METHODS = {
    "stripe": _l("Online payment"),
    "bank_transfer": _l("Bank transfer"),
    "cash_on_delivery": _l("Cash on delivery"),
}

REFUND_STATUS = {
    "pending": _l("being processed"),
    "succeeded": _l("done"),
    "failed": _l("failed, we are looking into it"),
    "manual": _l("to be returned by the cooperative"),
}

FILTERS = {
    "open": _l("To do"),
    "to_confirm": _l("Payment to confirm"),
    "to_ship": _l("To pack and ship"),
    "on_the_way": _l("On the way"),
    "done": _l("Completed"),
    "cancelled": _l("Cancelled or refunded"),
    "all": _l("All"),
}


def _value(item) -> str:
    return getattr(item, "value", item) or ""


def template_helpers() -> dict:
    return {
        "order_status_label": lambda status: STATUS.get(_value(status), _value(status)),
        "order_event_label": lambda kind: EVENTS.get(kind, kind),
        "payment_method_label": lambda method: PAYMENT_METHODS.get(_value(method), _value(method)),
        "refund_status_label": lambda status: REFUND_STATUS.get(_value(status), _value(status)),
        "seller_filter_label": lambda name: FILTERS.get(name, name),
        "carrier_label": carrier_label,
        "tracking_url": tracking_url,
        "province_label": province_label,
        "order_number": order_number,
    }
