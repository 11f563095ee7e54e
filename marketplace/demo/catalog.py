"""Demo batches and listings: every cooperative's products, with photos drawn on the spot.

Batches go through the catalog services, so each is validated by the real standard: some
pass, some fail with their reasons on the batch page. Listings go through the services
too (the protected-name rule holds for the demo as for anyone). Photos are drawn with
Pillow, one motif per product, so nothing large ships in the repository.
Idempotent: batches are found by lab report number, listings by title, per cooperative.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import click
from PIL import Image, ImageDraw, ImageFilter
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog import services
from marketplace.catalog.listing_terms import ListingTerms
from marketplace.catalog.services.variants import VariantDetails, add_variant
from marketplace.catalog.models import Batch, Listing
from marketplace.catalog.standards import standard_for
from marketplace.cooperatives.models import Cooperative, Membership
from marketplace.core.uploads import Upload
from marketplace.core.database import write_transaction
from marketplace.extensions import db


@dataclass(frozen=True)
class DemoBatch:
    #: The lab report number: the batch's natural key within its cooperative.
    number: str
    variety: str | None
    grade: str | None
    harvest: date
    measurements: dict = field(default_factory=dict)
    county: str | None = None
    quantity: str = "500"
    unit: str = "kg"
    #: False: recorded without its lab report document (a worked example of a refusal).
    lab_report: bool = True
    #: The product type, for standards that give grades by type (清香型 …).
    product_type: str | None = None


@dataclass(frozen=True)
class DemoListing:
    title: str
    category: str
    price: str
    unit: str
    stock: int
    weight_grams: int | None = None
    #: The lab report number of the linked batch, if any.
    batch: str | None = None
    status: str = "active"
    description: str = ""
    photos: int = 2
    #: More sizes of the same product: (label, price, stock, net weight in grams).
    sizes: tuple[tuple[str, str, int, int], ...] = ()
    #: Pre-sale, ship days, excluded provinces, cold chain (see catalog.listing_terms).
    terms: ListingTerms | None = None
    #: The optional English title the English site shows.
    title_en: str = ""


#: Fresh fruit: sent in the cold chain Monday to Wednesday, never to the far west.
FRESH_FRUIT = ListingTerms(ship_weekdays=(0, 1, 2), cold_chain=True,
                           excluded_provinces=("西藏自治区", "新疆维吾尔自治区", "青海省"))


def presale_terms(days_ahead: int, yield_kg: str) -> ListingTerms:
    """A harvest pre-sale shipping `days_ahead` days from the day the demo is loaded."""
    return replace(FRESH_FRUIT, presale_ships_from=date.today() + timedelta(days=days_ahead),
                   presale_yield_kg=yield_kg)


@dataclass(frozen=True)
class DemoCooperative:
    owner_email: str
    slug: str
    motif: str
    batches: tuple[DemoBatch, ...]
    listings: tuple[DemoListing, ...]


LONGJING_TEXT = ("**明前**采摘，一芽一叶，手工炒制。\n\n- 产地：杭州西湖区龙井村\n- 冲泡：80 °C 水，3 g 茶 150 ml\n\n"
                 "Picked before Qingming, one bud and one leaf, pan-fired by hand.")
RICE_TEXT = "稻花香2号，一年一季，黑土地种植。\n\nDaohuaxiang No. 2 rice, one crop a year on black soil."

DEMO = [
    DemoCooperative("seller.longjing@terroir.demo", "longjing-tea", "tea", (
        DemoBatch("ZJTQ-2025-0318", "龙井43", "premium", date(2025, 3, 28), {"moisture": "6.1"}),
        DemoBatch("ZJTQ-2025-0402", "龙井群体种", "grade-1", date(2025, 4, 9), {"moisture": "6.3"}),
        DemoBatch("ZJTQ-2025-0415", "龙井长叶", "grade-2", date(2025, 4, 18), {"moisture": "6.4"}),
        DemoBatch("ZJTQ-2025-0506", "龙井43", "grade-1", date(2025, 5, 6), {"moisture": "7.4"}),
        # Worked examples of refusals, for the demo seller to see and try:
        # a 5 kg batch wholly on sale (more stock is refused: mass balance) …
        DemoBatch("ZJTQ-2025-0420", "龙井43", "grade-1", date(2025, 4, 20), {"moisture": "6.2"}, quantity="5"),
        # … a batch from 萧山区, inside the protected area but not a production site of the
        # cooperative's authorization (sending it for certification is refused) …
        DemoBatch("ZJTQ-2025-0411", "龙井群体种", "grade-1", date(2025, 4, 11), {"moisture": "6.2"},
                  county="330109"),
        # … and a batch without its lab report document (it cannot be certified).
        DemoBatch("ZJTQ-2025-0425", "龙井43", "grade-2", date(2025, 4, 25), {"moisture": "6.3"},
                  lab_report=False),
        DemoBatch("ZJTQ-2025-XS01", "龙井43", "grade-1", date(2025, 4, 5), {"moisture": "6.2"}, county="330109"),
    ), (
        DemoListing("明前西湖龙井 特级 250g", "tea", "588.00", "250 g 罐", 30, 250, "ZJTQ-2025-0318",
                    description=LONGJING_TEXT, photos=3, title_en="West Lake Longjing, pre-Qingming, premium, 250 g"),
        DemoListing("West Lake Longjing, premium, 100 g", "tea", "268.00", "100 g tin", 45, 100, "ZJTQ-2025-0318",
                    description="Premium grade **Longjing 43**, picked in late March."),
        DemoListing("雨前龙井 一级 500g", "tea", "398.00", "500 g 袋", 60, 500, "ZJTQ-2025-0402", title_en="Longjing before the rains, grade 1, 500 g"),
        DemoListing("龙井茶 二级 口粮茶 250g", "tea", "128.00", "250 g 袋", 120, 250, "ZJTQ-2025-0415", title_en="Longjing tea, grade 2, everyday, 250 g"),
        DemoListing("Longjing tea gift box, two tins", "tea", "680.00", "2 × 125 g box", 15, 250, "ZJTQ-2025-0402"),
        DemoListing("杭州春茶 茶农自留 200g", "tea", "88.00", "200 g 袋", 80, 220,
                    description="茶农手工炒制的绿茶叶，自家留用的春茶。\n\nSpring green tea the growers keep for themselves."),
        DemoListing("Hand-fired green tea sampler", "tea", "59.00", "5 × 10 g", 200, 80, description="五种手工炒制的绿茶小样，各 10 g。\n\nFive hand-fired green teas, 10 g each."),
        DemoListing("龙井茶 五月新茶（待复检）", "tea", "99.00", "250 g 袋", 40, 250, "ZJTQ-2025-0506",
                    status="draft", description="水分超标，等待复检。Moisture too high: awaiting a second test."),
        DemoListing("茶农手作 竹制茶则", "other", "25.00", "1 把", 300, 30, photos=1, title_en="Bamboo tea scoop, handmade"),
        # Worked examples of what the protected-name rules refuse (drafts: each row in the
        # seller's list says why it cannot go live).
        DemoListing("云南滇红 功夫红茶 250g", "tea", "158.00", "250 g 袋", 30, 250, "ZJTQ-2025-0318",
                    status="draft", description="Another product on a Longjing batch: refused."),
        DemoListing("西湖龙井 × 安溪铁观音 双拼礼盒", "tea", "468.00", "2 × 125 g", 20, 250, "ZJTQ-2025-0318",
                    status="draft", description="A second product's protected name: refused."),
        DemoListing("西湖龙井 钱塘产区 一级 250g", "tea", "238.00", "250 g 袋", 30, 250, "ZJTQ-2025-XS01",
                    status="draft", description="萧山区 is in the 钱塘 zone: 西湖龙井 is kept for the 西湖 zone."),
        DemoListing("西湖龙井 小批次 250g", "tea", "298.00", "250 g 罐", 20, 250, "ZJTQ-2025-0420",
                    description="批次 5 kg，本商品 20 × 250 g 已占满：再加库存会被拒绝。\n\n"
                                "Worked example: the batch holds 5 kg and this listing offers all of it, "
                                "so raising the stock is refused (mass balance).", photos=1),
    )),
    DemoCooperative("seller.wuchang@terroir.demo", "wuchang-rice", "rice", (
        DemoBatch("HLJ-RICE-2024-117", "稻花香2号", None, date(2024, 10, 3), quantity="20", unit="t"),
        DemoBatch("HLJ-RICE-2024-131", "五优稻4号", None, date(2024, 10, 12), quantity="12", unit="t"),
        DemoBatch("HLJ-RICE-2024-140", "长粒香", None, date(2024, 10, 15), quantity="8", unit="t"),
    ), (
        DemoListing("五常大米 稻花香2号 5kg", "rice", "99.00", "5 kg 袋", 300, 5000, "HLJ-RICE-2024-117",
                    description=RICE_TEXT, photos=3, title_en="Wuchang rice, Daohuaxiang No. 2, 5 kg",
                    sizes=(("2.5 kg 真空袋", "56.00", 200, 2500), ("10 kg 袋", "178.00", 100, 10000),
                           ("礼盒 2 × 2.5 kg", "139.00", 40, 5000))),
        DemoListing("Wuchang rice, new crop, 10 kg", "rice", "178.00", "10 kg bag", 150, 10000, "HLJ-RICE-2024-117"),
        DemoListing("五常大米 真空砖 2.5kg×2", "rice", "109.00", "2 × 2.5 kg", 200, 5000, "HLJ-RICE-2024-131"),
        DemoListing("五常大米 礼盒 4 × 1kg", "rice", "168.00", "4 kg 礼盒", 80, 4000, "HLJ-RICE-2024-131", title_en="Wuchang rice gift box, 4 × 1 kg"),
        DemoListing("东北长粒香大米 10kg", "rice", "89.00", "10 kg 袋", 250, 10100),
        DemoListing("Black-soil brown rice, 2 kg", "grain_oil", "36.00", "2 kg bag", 120, 2050),
        DemoListing("有机糙米 1kg", "grain_oil", "22.00", "1 kg 袋", 180, 1020, title_en="Organic brown rice, 1 kg"),
        DemoListing("东北黑米 1kg", "grain_oil", "19.90", "1 kg 袋", 160, 1020, photos=1, title_en="Northeast black rice, 1 kg"),
        DemoListing("稻田鸭蛋 30 枚", "other", "58.00", "30 枚", 40, 1900, status="paused", photos=1),
    )),
    DemoCooperative("seller.anxi@terroir.demo", "anxi-tieguanyin", "oolong", (
        DemoBatch("FJ-AX-2025-021", "铁观音", "premium", date(2025, 5, 12), quantity="800", product_type="清香型"),
        DemoBatch("FJ-AX-2024-309", "铁观音", "grade-1", date(2024, 10, 8), quantity="650", product_type="浓香型"),
        DemoBatch("FJ-AX-2025-044", "本山", "grade-2", date(2025, 5, 20), quantity="300"),
    ), (
        DemoListing("安溪铁观音 清香型 特级 250g", "tea", "328.00", "250 g 罐", 70, 250, "FJ-AX-2025-021", photos=3, title_en="Anxi Tieguanyin, light aroma, premium, 250 g"),
        DemoListing("Anxi Tieguanyin, light roast, 125 g", "tea", "168.00", "125 g tin", 90, 125, "FJ-AX-2025-021"),
        DemoListing("安溪铁观音 浓香型 一级 500g", "tea", "268.00", "500 g 袋", 50, 500, "FJ-AX-2024-309"),
        DemoListing("铁观音 秋茶 小泡袋 7g×30", "tea", "138.00", "30 泡", 110, 210, "FJ-AX-2024-309"),
        DemoListing("Oolong tea, everyday, 250 g", "tea", "78.00", "250 g bag", 140, 270),
        DemoListing("闽南乌龙 本山 250g", "tea", "68.00", "250 g 袋", 100, 270, title_en="Minnan oolong, Benshan, 250 g"),
        DemoListing("陈年乌龙 炭焙 200g", "tea", "198.00", "200 g 罐", 25, 260, status="sold_out"),
        DemoListing("工夫茶具 白瓷盖碗", "other", "45.00", "1 套", 60, 400, photos=1),
        DemoListing("安溪佛手茶 250g", "tea", "118.00", "250 g 袋", 45, 270),
    )),
    DemoCooperative("seller.goji@terroir.demo", "ningxia-goji", "goji", (
        DemoBatch("NX-GQ-2025-071", None, None, date(2025, 7, 14), quantity="6", unit="t"),
        DemoBatch("NX-GQ-2025-112", None, None, date(2025, 11, 2), quantity="2", unit="t"),
    ), (
        DemoListing("宁夏枸杞 头茬 特优 500g", "processed", "69.00", "500 g 袋", 220, 500, "NX-GQ-2025-071", photos=3,
                    sizes=(("250 g 袋", "39.00", 100, 250), ("1 kg 礼盒", "139.00", 40, 1000))),
        DemoListing("Ningxia goji, first picking, 250 g", "processed", "39.00", "250 g bag", 180, 250, "NX-GQ-2025-071"),
        DemoListing("宁夏枸杞 礼盒 1kg", "processed", "139.00", "1 kg 礼盒", 60, 1000, "NX-GQ-2025-071"),
        DemoListing("枸杞原浆 30ml×10", "processed", "98.00", "10 袋", 90, 380, title_en="Goji juice, 10 × 30 ml"),
        DemoListing("黑枸杞 100g", "processed", "58.00", "100 g 罐", 75, 160, title_en="Black goji berries, 100 g"),
        DemoListing("Sun-dried red berries, 500 g", "processed", "45.00", "500 g bag", 130, 520),
        DemoListing("枸杞芽茶 50g", "tea", "32.00", "50 g 罐", 70, 90, title_en="Goji leaf tea, 50 g"),
        DemoListing("中宁枸杞 冬果（待复检）", "processed", "29.00", "500 g 袋", 50, 500, "NX-GQ-2025-112",
                    status="draft"),
        DemoListing("枸杞蜂蜜 500g", "processed", "56.00", "500 g 瓶", 40, 700, photos=1, title_en="Goji honey, 500 g"),
    )),
    DemoCooperative("seller.pinggu@terroir.demo", "pinggu-peach", "peach", (
        DemoBatch("BJ-PG-2025-0726", "庆丰", None, date(2025, 7, 26), {"fruit_weight": "182",
                  "storage_temperature": "2", "storage_days": "3"}, quantity="15", unit="t"),
        DemoBatch("BJ-PG-2025-0818", "八月脆", None, date(2025, 8, 18), {"fruit_weight": "262"},
                  quantity="9", unit="t"),
    ), (
        DemoListing("平谷大桃 庆丰 12枚礼盒", "fruit", "128.00", "12 枚 (约 2.5 kg)", 80, 2500, "BJ-PG-2025-0726",
                    photos=3),
        DemoListing("Pinggu peach, 5 kg box", "fruit", "168.00", "5 kg box", 60, 5000, "BJ-PG-2025-0726"),
        DemoListing("平谷大桃 家庭装 3kg", "fruit", "79.00", "3 kg 箱", 100, 3000, "BJ-PG-2025-0726",
                    sizes=(("5 kg 箱", "119.00", 60, 5000), ("精品礼盒 8 枚", "98.00", 30, 2000)), terms=FRESH_FRUIT),
        DemoListing("新季鲜桃 预售 5kg 箱", "fruit", "99.00", "5 kg 箱", 150, 5000, terms=presale_terms(45, "2000"),
                    description="明年新季鲜桃，果园直发，采摘后冷链发货。\n\nNext season's peaches, sold before the "
                                "harvest: they ship from the date shown, in the cold chain.",
                    sizes=(("10 kg 箱", "179.00", 50, 10000),)),
        DemoListing("八月脆桃（待复检）", "fruit", "88.00", "4 kg 箱", 40, 4000, "BJ-PG-2025-0818", status="draft"),
        DemoListing("北京水蜜桃 2.5kg", "fruit", "59.00", "2.5 kg 箱", 120, 2600, title_en="Beijing honey peaches, 2.5 kg"),
        DemoListing("Flat peaches, 2 kg", "fruit", "49.00", "2 kg box", 90, 2100),
        DemoListing("黄桃罐头 425g×6", "processed", "66.00", "6 罐", 150, 2700, title_en="Yellow peaches in syrup, 6 tins"),
        DemoListing("桃花蜜 500g", "processed", "48.00", "500 g 瓶", 70, 700, photos=1, title_en="Peach blossom honey, 500 g"),
        DemoListing("桃胶 250g", "processed", "29.00", "250 g 袋", 85, 270, photos=1),
        DemoListing("桃木梳 手工打磨", "other", "39.00", "1 把", 60, 80, photos=1),
        DemoListing("蟠桃干 200g", "processed", "26.00", "200 g 袋", 90, 220, photos=1, title_en="Dried flat peaches, 200 g"),
        DemoListing("鲜桃汁 300ml×12", "processed", "72.00", "12 瓶", 50, 4000, photos=1, title_en="Fresh peach juice, 12 × 300 ml"),
        DemoListing("桃酥 礼盒 500g", "processed", "35.00", "500 g 盒", 70, 600, photos=1),
    )),
]

#: Colours of each motif: background gradient (two), then shapes.
MOTIFS = {
    "tea": ((214, 232, 196), (120, 160, 90), [(70, 120, 50), (95, 150, 60), (140, 180, 90)]),
    "oolong": ((226, 214, 180), (140, 110, 70), [(60, 90, 45), (80, 110, 55), (110, 130, 70)]),
    "rice": ((245, 236, 210), (200, 170, 110), [(252, 250, 240), (240, 235, 215), (230, 220, 190)]),
    "goji": ((250, 225, 205), (210, 120, 90), [(200, 30, 30), (220, 60, 40), (170, 20, 30)]),
    "peach": ((252, 236, 225), (230, 170, 150), [(245, 150, 140), (250, 190, 150), (110, 160, 80)]),
}


def draw_photo(motif: str, seed: int, size=(800, 600)) -> bytes:
    """Draw a product photo (a gradient and the product's shapes, no text) as PNG bytes."""
    top, bottom, colours = MOTIFS[motif]
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    pixels = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        pixels.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    count = {"rice": 260, "goji": 70, "peach": 9}.get(motif, 45)
    for _ in range(count):
        x, y = rng.randrange(width), rng.randrange(height)
        colour = rng.choice(colours) + (rng.randrange(170, 255),)
        if motif in ("tea", "oolong"):
            w, h = rng.randrange(40, 110), rng.randrange(14, 36)
            leaf = Image.new("RGBA", (w, h), (0, 0, 0, 0))
            ImageDraw.Draw(leaf).ellipse([0, 0, w - 1, h - 1], fill=colour)
            leaf = leaf.rotate(rng.randrange(360), expand=True)
            layer.alpha_composite(leaf, (min(x, width - leaf.width), min(y, height - leaf.height)))
        elif motif == "rice":
            draw.ellipse([x, y, x + rng.randrange(10, 16), y + rng.randrange(5, 8)], fill=colour)
        elif motif == "goji":
            w = rng.randrange(18, 30)
            draw.ellipse([x, y, x + w, y + w // 2 + 6], fill=colour)
        else:
            r = rng.randrange(60, 110)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
            draw.ellipse([x - r // 2, y - r // 2, x, y], fill=(255, 255, 255, 60))
    image.paste(layer.filter(ImageFilter.GaussianBlur(0.6)), (0, 0), layer)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False, compress_level=1)
    return buffer.getvalue()


def lab_report_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of ASCII text: a stand-in for the lab's report."""
    text = "BT /F1 14 Tf 60 780 Td 18 TL " + " ".join(
        "(" + line.replace("\\", "").replace("(", "[").replace(")", "]") + ") '" for line in lines) + " ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(text), text.encode("ascii")),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _cooperative_and_owner(email: str) -> tuple[Cooperative | None, User | None]:
    owner = db.session.scalar(select(User).where(User.email == email))
    if owner is None:
        return None, None
    cooperative = db.session.scalar(select(Cooperative).join(Membership).where(Membership.user_id == owner.id)
                                    .order_by(Cooperative.id).limit(1))
    return cooperative, owner


def _batch(cooperative: Cooperative, owner: User, slug: str, spec: DemoBatch) -> Batch:
    found = db.session.scalar(select(Batch).where(Batch.cooperative_id == cooperative.id,
                                                  Batch.lab_report_number == spec.number))
    if found is not None:
        return found
    details = services.BatchDetails(
        county_code=spec.county or cooperative.county_code, harvest_date=spec.harvest,
        quantity=spec.quantity, unit=spec.unit, variety=spec.variety, grade=spec.grade,
        product_type=spec.product_type, lab_name="省级地理标志产品质量检验中心 (demo)", lab_report_number=spec.number,
        measurements=spec.measurements)
    report = lab_report_pdf([
        "Demo laboratory report (not a real test)", f"Report number: {spec.number}", f"Product: {slug}",
        f"Harvest: {spec.harvest.isoformat()}", f"Quantity: {spec.quantity} {spec.unit}",
        *(f"{key}: {value}" for key, value in spec.measurements.items())])
    return services.record_batch(owner, cooperative.id, slug, details,
                                 Upload(f"lab-report-{spec.number}.pdf", report) if spec.lab_report else None)


def _listing(cooperative: Cooperative, owner: User, motif: str, spec: DemoListing, batches: dict,
             seed: int, with_photos: bool = True) -> bool:
    found = db.session.scalar(select(Listing).where(Listing.cooperative_id == cooperative.id,
                                                    Listing.title == spec.title))
    if found is not None:
        if spec.title_en and not found.title_en:  # demo data of an older version: add it
            with write_transaction():
                found.title_en = spec.title_en
        return False
    batch = batches.get(spec.batch)
    details = services.ListingDetails(
        title=spec.title, description=spec.description, category=spec.category, price=spec.price,
        unit=spec.unit, stock=spec.stock, status=spec.status, weight_grams=spec.weight_grams,
        batch_id=batch.id if batch else None, terms=spec.terms, title_en=spec.title_en)
    photos = [Upload(f"demo-{seed}-{n}.png", draw_photo(motif, seed * 10 + n))
              for n in range(spec.photos if with_photos else 0)]
    try:
        listing = services.create_listing(owner, cooperative.id, details, photos)
    except services.DomainError as refusal:
        if spec.status != "active":
            raise
        # The rules refuse it live (no authorization yet, say): keep it as a draft, whose
        # row in the seller's list then says why, as it would for a real seller.
        click.echo(f"  kept as a draft: {spec.title}: {refusal}")
        listing = services.create_listing(owner, cooperative.id, replace(details, status="draft"), photos)
    for label, price, stock, weight in spec.sizes:
        add_variant(owner, listing.id, VariantDetails(label=label, price=price, stock=stock, weight_grams=weight))
    return True


def load(*, with_photos: bool = True) -> None:
    """Record the demo batches and listings that are not there yet.

    Drawing the photos is most of this step's time: a test that only searches the demo
    catalogue (tests/search/test_relevance.py) leaves them out.
    """

    work = [(plan, spec) for plan in DEMO for spec in (*plan.batches, *plan.listings)]
    created = 0
    batches: dict[str, Batch] = {}
    with click.progressbar(work, label="Batches and listings", show_pos=True) as bar:
        for index, (plan, spec) in enumerate(bar):
            cooperative, owner = _cooperative_and_owner(plan.owner_email)
            if cooperative is None or standard_for(plan.slug) is None:
                continue
            if isinstance(spec, DemoBatch):
                batches[spec.number] = _batch(cooperative, owner, plan.slug, spec)
            else:
                created += _listing(cooperative, owner, plan.motif, spec, batches, index, with_photos)
    click.echo(f"  {created} new listings")
