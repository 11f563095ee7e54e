"""A monthly statement as a file to keep: CSV for spreadsheets, PDF to print and file.

The PDF is written with fpdf2 in a font with Chinese characters (the labels' font, see
`LABEL_FONT_PATH`), so cooperative and product names print as they are written.
"""
from __future__ import annotations

import csv
import io

from flask_babel import format_datetime
from flask_babel import gettext as _
from fpdf import FPDF

from marketplace.certification.services.labels import _font_path
from marketplace.core.i18n import money
from marketplace.orders.models import EntryKind
from marketplace.orders.services.lifecycle import order_number
from marketplace.orders.services.statements import Statement


def kind_label(kind: EntryKind) -> str:
    return {EntryKind.SALE: _("Sale"), EntryKind.REFUND: _("Refund"), EntryKind.COMMISSION: _("Commission"),
            EntryKind.PAYOUT: _("Payout")}[kind]


def entry_rows(statement: Statement) -> list[tuple[str, str, str, str, int, int]]:
    """(date, kind, order, reason, amount, running balance) for each entry, oldest first."""
    rows, balance = [], statement.opening_minor
    for entry in statement.entries:
        balance += entry.amount_minor
        number = order_number(entry.sub_order.order_id) if entry.sub_order is not None else ""
        rows.append((format_datetime(entry.created_at, "yyyy-MM-dd HH:mm"), kind_label(entry.kind), number,
                     entry.reason, entry.amount_minor, balance))
    return rows


def minor_as_decimal(amount: int) -> str:
    """Spreadsheets read a plain decimal, not a formatted amount."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount) // 100}.{abs(amount) % 100:02d}"


def safe_cell(text: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Cooperative"), safe_cell(statement.cooperative.name), _("Month"), statement.month,
                     _("Currency"), statement.currency])
    writer.writerow([_("Date"), _("Entry"), _("Order"), _("Reason"), _("Amount"), _("Balance")])
    writer.writerow(["", _("Opening balance"), "", "", "", minor_as_decimal(statement.opening_minor)])
    for day, kind, number, reason, amount, balance in entry_rows(statement):
        writer.writerow([day, kind, number, safe_cell(reason), minor_as_decimal(amount),
                         minor_as_decimal(balance)])
    writer.writerow(["", _("Closing balance"), "", "", "", minor_as_decimal(statement.closing_minor)])
    return "\ufeff" + out.getvalue()  # the BOM lets spreadsheet programs read the Chinese text


def as_pdf(statement: Statement) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    family = "helvetica"
    path = _font_path()
    if path:
        pdf.add_font("cjk", fname=path, collection_font_number=0)
        family = "cjk"
    pdf.add_page()
    pdf.set_font(family, size=15)
    pdf.cell(0, 10, _("Statement %(month)s", month=statement.month), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=11)
    pdf.cell(0, 7, statement.cooperative.name, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, f"{_('Opening balance')}: {money(statement.opening_minor, statement.currency)}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, size=9)
    widths = (34, 24, 30, 36, 32, 32)
    headers = (_("Date"), _("Entry"), _("Order"), _("Reason"), _("Amount"), _("Balance"))
    for width, header in zip(widths, headers):
        pdf.cell(width, 7, header, border=1)
    pdf.ln()
    for day, kind, number, reason, amount, balance in entry_rows(statement):
        cells = (day, kind, number, reason[:24], money(amount, statement.currency),
                 money(balance, statement.currency))
        for index, (width, text) in enumerate(zip(widths, cells)):
            pdf.cell(width, 6, text, border=1, align="R" if index >= 4 else "L")
        pdf.ln()
    pdf.ln(2)
    pdf.set_font(family, size=11)
    pdf.cell(0, 7, f"{_('Closing balance')}: {money(statement.closing_minor, statement.currency)}",
             new_x="LMARGIN", new_y="NEXT")
    if statement.payout is not None:
        pdf.cell(0, 7, _("Paid out: %(amount)s", amount=money(statement.payout.amount_minor,
                                                               statement.payout.currency)),
                 new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
