"""Label sheets: the batch's code and its numbered package codes, as QR codes to print.

Each QR code holds the absolute URL of the code's public verify page, so any phone camera
opens it. The same sheet is given as a printable HTML page (SVG QR codes inline as data:
URIs, which the content security policy allows) and as a PDF or PNG drawn with Pillow.
Every label carries the product's Chinese name, the shop's public address (PUBLIC_URL) and,
on a package code, "package N of M" (第 N 件 / 共 M 件), M being how many packages of that
weight the batch holds.

Drawing is kept cheap: QR modules are painted straight from segno's matrix (no PNG made and
read back per label) with a fixed mask pattern and kept per URL, pages are greyscale, fonts
are loaded once per process, what every label repeats is drawn once, only the page asked
for is drawn, and the PNG is written with fast compression instead of the exhaustive
`optimize` search. See bench/RESULTS.md, "Label sheet".
"""
from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import segno
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from marketplace.catalog.models import Batch
from marketplace.certification.services import access, catalogue
from marketplace.core.errors import DomainError, NotFound
from marketplace.certification.models import BatchCertificate, TraceCode
from marketplace.certification.services.package_sizes import UnknownSize, size_of_batch
from marketplace.core.urls import external_url
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow

#: A4 at 150 dots per inch, three columns of seven labels.
PAGE_SIZE = (1240, 1754)
COLUMNS, ROWS = 3, 7
MARGIN = 60
_QR_MASK = 2
#: Where Debian and Ubuntu font packages put fonts with Chinese glyphs.
_CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@lru_cache(maxsize=4096)
def _qr(url: str):
    """The QR code of a URL, encoded once per process (a sheet is often drawn several times).

    A fixed mask: choosing the "best" of eight took most of a page's drawing time, and any
    mask gives a valid code that phones read (the tests decode the printed ones).
    """
    return segno.make(url, error="m", mask=_QR_MASK)


@lru_cache(maxsize=4096)
def _qr_svg(url: str) -> str:
    return _qr(url).svg_data_uri(scale=3, border=2)


@dataclass(frozen=True)
class Label:
    code: str
    display: str
    serial: int
    url: str
    #: (N, M): package N of the M packages of this weight the batch holds; None for the
    #: batch code and for package codes issued before weights were recorded.
    package: tuple[int, int] | None = None
    #: The size the package is sold as ("500 g 礼盒"), empty when none was chosen.
    size: str = ""
    #: Net weight of the package in grams (package codes only).
    net_weight_grams: int | None = None

    @property
    def qr_svg_data_uri(self) -> str:
        return _qr_svg(self.url)

    def qr_image(self, side: int) -> Image.Image:
        """The QR code as a greyscale image `side` pixels wide, painted from its matrix."""
        qr = _qr(self.url)
        border = 2
        width = len(qr.matrix) + 2 * border
        light = bytes([255]) * width
        rows = [light] * border
        for row in qr.matrix:
            rows.append(light[:border] + bytes(0 if dark else 255 for dark in row) + light[:border])
        rows += [light] * border
        image = Image.frombytes("L", (width, width), b"".join(rows))
        return image.resize((side, side), Image.NEAREST)


@dataclass(frozen=True)
class LabelSheet:
    certificate: BatchCertificate
    product_name: str
    labels: list[Label]
    serials_issued: int
    truncated: bool
    #: The product's name in Chinese, printed on every label whatever the page's language.
    product_name_zh: str = ""
    #: Where to verify by hand: the shop's public verify page, without the scheme.
    public_address: str = ""


def package_numbers(codes, batch_grams: int | None) -> dict[int, tuple[int, int]]:
    """(N, M) by serial for package codes in serial order (the rule of trace_codes.package_of)."""
    counts: dict[int, int] = {}
    numbers = {}
    for code in codes:
        weight = code.net_weight_grams
        if code.serial <= 0 or not weight or not batch_grams:
            continue
        counts[weight] = counts.get(weight, 0) + 1
        numbers[code.serial] = (counts[weight], batch_grams // weight)
    return numbers


def public_address() -> str:
    """The verify page's address as printed: "shop.example.cn/verify"."""
    url = external_url("certification_public.verify_form")
    return url.split("://", 1)[-1].rstrip("/")


def label_sheet(user, batch_id: int, *, copies: int, include_serials: bool,
                verify_url: Callable[[str], str], language: str,
                now: datetime | None = None, variant_id: int | None = None) -> LabelSheet:
    """Gather the labels of a batch for its cooperative's members, while its certificate is valid.

    With `variant_id`, only the package codes of that size (one of the batch's own, else
    NotFound: a sheet of no such size does not exist) are on the sheet, beside the batch code.
    """
    now = now or utcnow()
    certificate = db.session.scalar(select(BatchCertificate).where(BatchCertificate.batch_id == batch_id))
    if certificate is None:
        raise DomainError(_l("This batch has no certificate."))
    access.check_member(user, certificate.cooperative_id)
    if not certificate.is_valid_at(now):
        raise DomainError(_l("Labels can be printed only while the certificate is valid."))
    limit = current_app.config["LABEL_SHEET_MAX_LABELS"]
    if not isinstance(copies, int) or not 0 <= copies <= limit:
        raise DomainError(_l("Enter a number of copies from 0 to %(n)d.", n=limit), "copies")
    codes = db.session.scalars(select(TraceCode).where(TraceCode.certificate_id == certificate.id)
                               .order_by(TraceCode.serial)).all()
    batch = db.session.get(Batch, batch_id)
    numbers = package_numbers(codes, batch.quantity_grams if batch is not None else None)
    batch_codes = [code for code in codes if code.serial == 0]
    serials = [code for code in codes if code.serial > 0]
    if variant_id is not None:
        try:
            size_of_batch(batch_id, variant_id, include_retired=True)
        except UnknownSize as unknown:
            raise NotFound(str(unknown)) from None
        serials = [code for code in serials if code.variant_id == variant_id]
    labels = [Label(code.code, code.display, 0, verify_url(code.display))
              for code in batch_codes for _ in range(copies)]
    if include_serials:
        labels += [Label(code.code, code.display, code.serial, verify_url(code.display),
                         numbers.get(code.serial), code.size_label or "", code.net_weight_grams)
                   for code in serials]
    return LabelSheet(certificate, catalogue.product_name(certificate.standard_slug, language),
                      labels[:limit], len(serials), len(labels) > limit,
                      product_name_zh=catalogue.product_name(certificate.standard_slug, "zh"),
                      public_address=public_address())


def _font_path() -> str | None:
    configured = current_app.config.get("LABEL_FONT_PATH") or ""
    if configured:
        return configured
    return next((path for path in _CJK_FONT_CANDIDATES if os.path.exists(path)), None)


@lru_cache(maxsize=16)
def _load_font(path: str | None, size: int):
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # a Pillow built without FreeType
        return ImageFont.load_default()


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    """Cut `text` so that it fits `width` pixels, marking the cut with an ellipsis."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def _text_stamp(text: str, font, fill: int) -> Image.Image:
    """Text drawn once on its own white strip, to paste on every label that repeats it."""
    left, top, right, bottom = font.getbbox(text or " ")
    stamp = Image.new("L", (max(right, 1), max(bottom, 1)), 255)
    ImageDraw.Draw(stamp).text((0, 0), text, font=font, fill=fill)
    return stamp


def package_caption(label: Label) -> str:
    """What a label says of its package, in Chinese as printed on goods sold in China."""
    if not label.serial:
        return "批次码 BATCH"
    if label.package is None:
        return f"No. {label.serial:05d}"
    number, total = label.package
    return f"第 {number} 件 / 共 {total} 件"


def size_caption(label: Label) -> str:
    """The package's size and net weight as printed: "500 g 礼盒 · 净含量 500 g"."""
    weight = f"净含量 {label.net_weight_grams} g" if label.net_weight_grams else ""
    return " · ".join(part for part in (label.size, weight) if part)


def _pages(sheet: LabelSheet) -> list[Image.Image]:
    """Draw the labels on A4 pages: QR code left; name, code and package right; then the address."""
    cell_w = (PAGE_SIZE[0] - 2 * MARGIN) // COLUMNS
    cell_h = (PAGE_SIZE[1] - 2 * MARGIN) // ROWS
    path = _font_path()
    name_font, big, small, tiny = (_load_font(path, 24), _load_font(path, 28), _load_font(path, 18),
                                   _load_font(path, 15))
    side = cell_h - 64
    text_w = cell_w - 28 - side
    bottom_w = cell_w - 24
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    # What every label repeats is drawn once and pasted.
    name = _text_stamp(_fit(measure, f"{sheet.product_name_zh} GI", name_font, text_w), name_font, 0)
    number = _text_stamp(_fit(measure, sheet.certificate.number or "", tiny, bottom_w), tiny, 60)
    address = _text_stamp(_fit(measure, sheet.public_address, tiny, bottom_w), tiny, 60)
    per_page = COLUMNS * ROWS
    pages = []
    for start in range(0, max(len(sheet.labels), 1), per_page):
        page = Image.new("L", PAGE_SIZE, 255)
        draw = ImageDraw.Draw(page)
        for index, label in enumerate(sheet.labels[start:start + per_page]):
            column, row = index % COLUMNS, index // COLUMNS
            x, y = MARGIN + column * cell_w, MARGIN + row * cell_h
            draw.rectangle((x + 4, y + 4, x + cell_w - 4, y + cell_h - 4), outline=150)
            page.paste(label.qr_image(side), (x + 10, y + 10))
            text_x = x + 18 + side
            page.paste(name, (text_x, y + 12))
            parts = label.display.split("-")
            for line, part in enumerate(parts):
                draw.text((text_x, y + 44 + line * 31), part, font=big, fill=0)
            draw.text((text_x, y + 50 + len(parts) * 31), _fit(draw, package_caption(label), small, text_w),
                      font=small, fill=60)
            if label.serial:
                draw.text((text_x, y + 74 + len(parts) * 31), _fit(draw, size_caption(label), tiny, text_w),
                          font=tiny, fill=0)
            page.paste(number, (x + 12, y + cell_h - 50))
            page.paste(address, (x + 12, y + cell_h - 30))
        pages.append(page)
    return pages


def sheet_pdf(sheet: LabelSheet) -> bytes:
    pages = _pages(sheet)
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return buffer.getvalue()


def sheet_png(sheet: LabelSheet, page: int = 1) -> bytes:
    """One page of the sheet as PNG (page numbers start at 1; past the end gives the last).

    Only the page asked for is drawn.
    """
    per_page = COLUMNS * ROWS
    pages_count = max((len(sheet.labels) + per_page - 1) // per_page, 1)
    chosen = min(max(page, 1), pages_count) - 1
    part = LabelSheet(sheet.certificate, sheet.product_name,
                      sheet.labels[chosen * per_page:(chosen + 1) * per_page], sheet.serials_issued,
                      sheet.truncated, sheet.product_name_zh, sheet.public_address)
    buffer = io.BytesIO()
    _pages(part)[0].save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()
