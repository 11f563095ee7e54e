"""Demo paperwork: an invoice (发票) asked for on a paid demo order.

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
