"""Label sheets: the batch's code and its numbered package codes, as QR codes to print.

Each QR code holds the absolute URL of the code's public verify page, so any phone camera
opens it. The same sheet is given as a printable HTML page (SVG QR codes inline as data:
URIs, which the content security policy allows) and as a PDF or PNG drawn with Pillow.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import segno
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from marketplace.certification import access, catalogue
from marketplace.certification.errors import CertificationError
from marketplace.certification.models import BatchCertificate, TraceCode
from marketplace.extensions import db
from marketplace.timeutil import utcnow

#: A4 at 150 dots per inch, three columns of seven labels.
PAGE_SIZE = (1240, 1754)
COLUMNS, ROWS = 3, 7
MARGIN = 60


@dataclass(frozen=True)
class Label:
    code: str
    display: str
    serial: int
    url: str

    @property
    def qr_svg_data_uri(self) -> str:
        return segno.make(self.url, error="m").svg_data_uri(scale=3, border=2)

    def qr_png(self, scale: int) -> Image.Image:
        buffer = io.BytesIO()
        segno.make(self.url, error="m").save(buffer, kind="png", scale=scale, border=2)
        buffer.seek(0)
        return Image.open(buffer).convert("RGB")


@dataclass(frozen=True)
class LabelSheet:
    certificate: BatchCertificate
    product_name: str
    labels: list[Label]
    serials_issued: int
    truncated: bool


def label_sheet(user, batch_id: int, *, copies: int, include_serials: bool,
                verify_url: Callable[[str], str], language: str,
                now: datetime | None = None) -> LabelSheet:
    """Gather the labels of a batch for its cooperative's members, while its certificate is valid."""
    now = now or utcnow()
    certificate = db.session.scalar(select(BatchCertificate).where(BatchCertificate.batch_id == batch_id))
    if certificate is None:
        raise CertificationError(_l("This batch has no certificate."))
    access.check_member(user, certificate.cooperative_id)
    if not certificate.is_valid_at(now):
        raise CertificationError(_l("Labels can be printed only while the certificate is valid."))
    limit = current_app.config["LABEL_SHEET_MAX_LABELS"]
    if not isinstance(copies, int) or not 0 <= copies <= limit:
        raise CertificationError(_l("Enter a number of copies from 0 to %(n)d.", n=limit), "copies")
    codes = db.session.scalars(select(TraceCode).where(TraceCode.certificate_id == certificate.id)
                               .order_by(TraceCode.serial)).all()
    batch_codes = [code for code in codes if code.serial == 0]
    serials = [code for code in codes if code.serial > 0]
    labels = [Label(code.code, code.display, 0, verify_url(code.display))
              for code in batch_codes for _ in range(copies)]
    if include_serials:
        labels += [Label(code.code, code.display, code.serial, verify_url(code.display)) for code in serials]
    return LabelSheet(certificate, catalogue.product_name(certificate.standard_slug, language),
                      labels[:limit], len(serials), len(labels) > limit)


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # a Pillow built without FreeType
        return ImageFont.load_default()


def _pages(sheet: LabelSheet) -> list[Image.Image]:
    """Draw the labels on A4 pages: QR code left, code and serial right (ASCII only)."""
    cell_w = (PAGE_SIZE[0] - 2 * MARGIN) // COLUMNS
    cell_h = (PAGE_SIZE[1] - 2 * MARGIN) // ROWS
    big, small = _font(30), _font(20)
    per_page = COLUMNS * ROWS
    pages = []
    for start in range(0, max(len(sheet.labels), 1), per_page):
        page = Image.new("RGB", PAGE_SIZE, "white")
        draw = ImageDraw.Draw(page)
        for index, label in enumerate(sheet.labels[start:start + per_page]):
            column, row = index % COLUMNS, index // COLUMNS
            x, y = MARGIN + column * cell_w, MARGIN + row * cell_h
            draw.rectangle((x + 4, y + 4, x + cell_w - 4, y + cell_h - 4), outline="#999999")
            qr = label.qr_png(scale=4)
            side = cell_h - 60
            qr = qr.resize((side, side), Image.NEAREST)
            page.paste(qr, (x + 12, y + 12))
            text_x = x + 24 + side
            draw.text((text_x, y + 16), "GI", font=small, fill="#2c4d28")
            parts = label.display.split("-")
            for line, part in enumerate(parts):
                draw.text((text_x, y + 44 + line * 34), part, font=big, fill="black")
            caption = f"No. {label.serial:05d}" if label.serial else "BATCH"
            draw.text((text_x, y + 52 + len(parts) * 34), caption, font=small, fill="#555555")
            draw.text((x + 12, y + cell_h - 40), sheet.certificate.number or "", font=small, fill="#555555")
        pages.append(page)
    return pages


def sheet_pdf(sheet: LabelSheet) -> bytes:
    pages = _pages(sheet)
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return buffer.getvalue()


def sheet_png(sheet: LabelSheet, page: int = 1) -> bytes:
    """One page of the sheet as PNG (page numbers start at 1; past the end gives the last)."""
    pages = _pages(sheet)
    chosen = pages[min(max(page, 1), len(pages)) - 1]
    buffer = io.BytesIO()
    chosen.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
