"""Invoices (发票): the buyer asks, the cooperative uploads the invoice or marks it issued.

A request covers every paid part of the order, one per cooperative (each issues its own).
A company's taxpayer id is the unified social credit code, checked by its format and check
character with python-stdnum. The file is read only by the buyer, the cooperative's
members and supervisors; it is stored under a random name like every other upload.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from stdnum.cn import uscc

from marketplace.core.audit import record
from marketplace.cooperatives.services import membership_of
from marketplace.core import storage
from marketplace.core.images import document_without_location
from marketplace.core.uploads import Upload, UploadKind, UploadRefused, check_uploads
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import InvoiceKind, InvoiceRequest, Order, SubOrder
from marketplace.orders.services.errors import DomainError
from marketplace.core.timeutil import utcnow

FOLDER = "invoices"
FIELD = "invoice_file"
INVOICE_UPLOADS = UploadKind(field=FIELD, max_bytes_setting="INVOICE_MAX_BYTES", accepts_pdf=True)


def clean_request(kind: str, title: str, taxpayer_id: str) -> tuple[InvoiceKind, str, str | None]:
    """Check the buyer's answers; each refusal names its field."""
    try:
        chosen = InvoiceKind(kind)
    except ValueError:
        raise DomainError(_l("Choose a personal or a company invoice."), "kind") from None
    title = " ".join((title or "").split())
    if not title or len(title) > 100:
        raise DomainError(_l("Give the invoice title (a name, at most 100 characters)."), "title")
    if chosen is InvoiceKind.PERSONAL:
        return chosen, title, None
    code = uscc.compact(taxpayer_id or "").upper()
    if not uscc.is_valid(code):
        raise DomainError(_l("This is not a valid unified social credit code (18 characters)."), "taxpayer_id")
    return chosen, title, code


@dataclass(frozen=True)
class InvoiceAnswer:
    """A checked invoice request, given with the order at checkout."""

    kind: InvoiceKind
    title: str
    taxpayer_id: str | None


#: The checkout form's names for the fields of an invoice request.
CHECKOUT_FIELDS = {"kind": "invoice_kind", "title": "invoice_title", "taxpayer_id": "invoice_taxpayer_id"}


def clean_checkout_request(values: dict | None) -> InvoiceAnswer | None:
    """Check the invoice asked for at checkout (None when none is wanted), before anything is written.

    A refusal names the checkout form's field, so the order is not placed and the shopper
    sees which answer to correct.
    """
    if not values:
        return None
    try:
        return InvoiceAnswer(*clean_request(values.get("kind") or "", values.get("title") or "",
                                            values.get("taxpayer_id") or ""))
    except DomainError as error:
        raise DomainError(str(error), CHECKOUT_FIELDS.get(error.field, error.field)) from None


def request_with_order(user, order: Order, answer: InvoiceAnswer) -> list[InvoiceRequest]:
    """Store the checkout's invoice request for every part of the new order, in its transaction.

    Each cooperative sees it with its part and issues the invoice once that part is paid.
    """
    made = [InvoiceRequest(sub_order_id=sub.id, kind=answer.kind, title=answer.title,
                           taxpayer_id=answer.taxpayer_id, requested_by_id=user.id) for sub in order.sub_orders]
    db.session.add_all(made)
    record("invoice.requested", "order", order.id, actor=user, kind=answer.kind.value, at_checkout=True,
           sub_order_ids=[sub.id for sub in order.sub_orders])
    return made


def request_invoice(user, order_id: int, kind: str, title: str, taxpayer_id: str = "") -> list[InvoiceRequest]:
    """The buyer asks for invoices of the paid parts of their order that have none yet."""
    chosen, title, code = clean_request(kind, title, taxpayer_id)
    with write_transaction():
        order = db.session.get(Order, order_id)
        if order is None or order.buyer_id != user.id:
            raise DomainError(_l("Order not found."), status=404)
        asked = set(db.session.scalars(select(InvoiceRequest.sub_order_id).join(SubOrder).where(
            SubOrder.order_id == order_id)))
        parts = [sub for sub in order.sub_orders if sub.paid_at is not None and sub.id not in asked
                 and sub.refunded_minor < sub.total_minor]
        if not parts:
            raise DomainError(_l("No paid part of this order is waiting for an invoice."), status=409)
        made = [InvoiceRequest(sub_order_id=sub.id, kind=chosen, title=title, taxpayer_id=code,
                               requested_by_id=user.id) for sub in parts]
        db.session.add_all(made)
        record("invoice.requested", "order", order_id, actor=user, kind=chosen.value,
               sub_order_ids=[sub.id for sub in parts])
    return made


def _seller_request(user, sub_order_id: int) -> InvoiceRequest:
    sub = db.session.get(SubOrder, sub_order_id)
    if sub is None or membership_of(user, sub.cooperative_id) is None:
        raise DomainError(_l("Order not found."), status=404)
    invoice = db.session.scalar(select(InvoiceRequest).where(InvoiceRequest.sub_order_id == sub_order_id))
    if invoice is None:
        raise DomainError(_l("The buyer has not asked for an invoice."), status=409)
    return invoice


def issue(user, sub_order_id: int, upload: Upload | None) -> InvoiceRequest:
    """The cooperative uploads the invoice (PDF or image), or only marks it issued."""
    checked = None
    if upload is not None:
        try:
            [checked] = check_uploads([upload], INVOICE_UPLOADS)
            data = document_without_location(checked, field=FIELD)
        except UploadRefused as refused:
            raise DomainError(str(refused), refused.field) from refused
    with write_transaction():
        invoice = _seller_request(user, sub_order_id)
        if invoice.sub_order.paid_at is None:
            raise DomainError(_l("This part of the order is not paid yet: issue the invoice once it is paid."),
                             status=409)
        if checked is not None:
            storage.remove_after_commit(FOLDER, invoice.filename)
            invoice.filename = storage.write(FOLDER, checked.extension, data)
            invoice.mime = checked.mime
        invoice.issued_at = invoice.issued_at or utcnow()
        invoice.issued_by_id = user.id
        record("invoice.issued", "sub_order", sub_order_id, actor=user, with_file=checked is not None)
    return invoice


def may_read(user, invoice: InvoiceRequest) -> bool:
    """The buyer, the cooperative's members and supervisors; nobody else."""
    if not getattr(user, "is_authenticated", False):
        return False
    sub = invoice.sub_order
    return (user.is_supervisor or sub.order.buyer_id == user.id
            or membership_of(user, sub.cooperative_id) is not None)


def invoice_file(user, invoice_id: int) -> tuple[Path, str, str]:
    """(path, MIME type, download name) of an invoice file the user may read."""
    invoice = db.session.get(InvoiceRequest, invoice_id)
    if invoice is None or not may_read(user, invoice) or not invoice.filename:
        raise DomainError(_l("Invoice not found."), status=404)
    path = storage.path_of(FOLDER, invoice.filename)
    if path is None or not path.exists():
        raise DomainError(_l("Invoice not found."), status=404)
    extension = invoice.filename.rsplit(".", 1)[-1]
    return path, invoice.mime or "application/octet-stream", f"invoice-{invoice.sub_order_id}.{extension}"


def asked_among(sub_order_ids) -> set[int]:
    """Which of these sub-orders carry an invoice request (one query, for a list of orders)."""
    ids = list(sub_order_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(InvoiceRequest.sub_order_id).where(InvoiceRequest.sub_order_id.in_(ids))))


def for_order(order_id: int) -> dict[int, InvoiceRequest]:
    """The invoice requests of an order's parts, by sub-order id."""
    rows = db.session.scalars(select(InvoiceRequest).join(SubOrder).where(SubOrder.order_id == order_id))
    return {invoice.sub_order_id: invoice for invoice in rows}
