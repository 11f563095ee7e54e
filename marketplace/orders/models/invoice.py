"""Invoices (发票) a buyer asks for: one per paid sub-order, issued by its cooperative."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class InvoiceKind(str, enum.Enum):
    PERSONAL = "personal"
    COMPANY = "company"


class InvoiceRequest(db.Model):
    __tablename__ = "invoice_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Each cooperative issues the invoice for its own part of the order.
    sub_order_id: Mapped[int] = mapped_column(ForeignKey("sub_orders.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[InvoiceKind] = mapped_column(enum_column(InvoiceKind))
    #: The invoice's title (抬头): the person's or the company's name.
    title: Mapped[str] = mapped_column(String(100))
    #: The company's unified social credit code (统一社会信用代码), checked by its format.
    taxpayer_id: Mapped[str | None] = mapped_column(String(18))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[datetime | None] = mapped_column()
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Random stored name under UPLOAD_FOLDER/invoices, when a file was uploaded.
    filename: Mapped[str | None] = mapped_column(String(64))
    mime: Mapped[str | None] = mapped_column(String(40))

    sub_order: Mapped[SubOrder] = relationship()  # noqa: F821
