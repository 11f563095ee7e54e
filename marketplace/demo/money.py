"""Demo paperwork: invoices (发票) asked for at checkout and on a paid demo order.

The demo orders' payments and refunds already fill the cooperatives' statements (the
ledger is written by the same services); this adds what a buyer asks for afterwards.
"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.core.database import end_read
from marketplace.extensions import db
from marketplace.orders.models import InvoiceRequest, Order, SubOrder
from marketplace.orders.services import invoices
from marketplace.orders.services.errors import DomainError

#: A well-formed unified social credit code for the demo company.
DEMO_TAXPAYER_ID = "91110000600037341L"


#: Demo orders whose buyer asked for an invoice while placing them, by the order's state:
#: one still waiting for payment (the cooperative issues once paid), one partly paid.
INVOICES_AT_CHECKOUT = {
    "waiting": {"kind": "personal", "title": "周静"},
    "partly-paid": {"kind": "company", "title": "深圳山野食品有限公司", "taxpayer_id": DEMO_TAXPAYER_ID},
}


def invoice_at_checkout(state: str) -> dict | None:
    """The invoice the demo buyer asks for when placing the order of this state, if any."""
    return INVOICES_AT_CHECKOUT.get(state)


def load_invoice_request(buyer) -> None:
    """Ask for a company invoice on the buyer's paid demo order, once."""
    order = db.session.scalar(select(Order).where(Order.buyer_id == buyer.id, Order.street.like("%demo:paid"))
                              .order_by(Order.id))
    if order is None or db.session.scalar(select(InvoiceRequest.id).join(SubOrder)
                                          .where(SubOrder.order_id == order.id)):
        return
    try:
        invoices.request_invoice(buyer, order.id, "company", "上海茶香贸易有限公司", DEMO_TAXPAYER_ID)
    except DomainError:  # nothing of the order waits for an invoice: none is asked for
        end_read()
