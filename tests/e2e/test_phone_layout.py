"""Every main page of every role, on a phone 390 px wide, in a real Chromium.

The demo world (`flask demo load`) is loaded once for the module, so each page shows real
content: long cooperative names, trace codes, credit codes, tables with many columns. A
page fails when anything on it is wider than the screen (the shopper would have to scroll
sideways, or a column is cut) or when a button, field or table link is too small to tap.
"""
from __future__ import annotations

import os
import re
import secrets

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from tests.support.browser import sign_in
from tests.support.serving import LiveServer, buffered

# Loading the whole demo takes about a minute on an idle machine and several on a loaded
# one: this timeout guards against a hang, it is not a speed limit.
pytestmark = pytest.mark.timeout(1800)


PHONE = {"width": 390, "height": 844}
#: Apple's and Google's guidance: 44 CSS pixels is the smallest comfortable tap target.
MIN_TAP = 44

#: Every element that sticks out past the viewport, described so the failure names it.
FIND_OVERFLOW = """(width) => {
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (el.classList.length) text += '.' + [...el.classList].join('.');
    const words = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return words ? `${text} "${words}"` : text;
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // hidden, or visually hidden for screen readers
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      offenders.push(`${describe(el)} [${Math.round(box.left)}..${Math.round(box.right)} px]`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, offenders};
}"""

#: Tap targets: controls in forms, links and buttons in tables, the header's controls.
FIND_SMALL_TARGETS = """(minimum) => {
  const selector = [
    'main form button', 'main form input:not([type=hidden])', 'main form select', 'main form textarea',
    'main table a', 'main table button', 'main .button', 'main .actions a',
    '.site-header .nav-toggle-label', '.site-header .search-box input', '.site-header .search-box button',
    '.site-nav a', '.site-nav button', 'main nav a', 'main summary', '.subnav a', '.pagination a', '.chips a', '.facet a', '.sort-links a',
  ].join(',');
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    let box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown (menu closed, print only)
    const label = el.matches('input[type=checkbox], input[type=radio]') && (el.closest('label') || el.labels[0]);
    if (label) box = label.getBoundingClientRect();  // a tap on the label ticks the box
    if (box.height < minimum - 0.5) {
      const name = (el.innerText || el.value || el.name || el.id || '').trim().slice(0, 30);
      small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.height)} px tall`);
    }
  }
  return small;
}"""


@pytest.fixture(scope="module")
def demo_site(database_factory, tmp_path_factory):
    """The demo world served over HTTP; yields (base URL, a few ids the pages need)."""
    from marketplace import create_app
    from marketplace.extensions import db

    folder = tmp_path_factory.mktemp("phone")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": database_factory.new(),
        "INSTANCE_PATH": str(folder / "instance"),
        "MAIL_OUTBOX": str(folder / "outbox"),
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "SEARCH_INDEX_DIR": str(folder / "search-index"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "BABEL_DEFAULT_LOCALE": "en",
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    })
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        facts = _demo_facts()
        db.session.remove()
    server = LiveServer(buffered(app)).start()
    try:
        yield server.url, facts
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


def _demo_facts() -> dict:
    """What cannot be reached by following links: the code on a certified package."""
    from marketplace.certification.models import (
        BatchCertificate,
        CertificateStatus,
        TraceCode,
    )
    from marketplace.extensions import db

    code = db.session.scalars(
        select(TraceCode).join(BatchCertificate)
        .where(BatchCertificate.status == CertificateStatus.CERTIFIED, TraceCode.serial == 0)
        .order_by(TraceCode.id)).first()
    assert code is not None, "the demo data has no certified batch"
    from marketplace.catalog.models import Listing, ListingStatus

    english = db.session.scalars(
        select(Listing).where(Listing.title_en.is_not(None), Listing.status == ListingStatus.ACTIVE)
        .order_by(db.func.length(Listing.title_en).desc(), Listing.id)).first()
    assert english is not None, "the demo data has no listing with an English title"
    from marketplace.supervision.models import Sanction

    sanctioned = sorted(set(db.session.scalars(select(Sanction.cooperative_id))))
    assert sanctioned, "the demo data has no sanction"
    far = next(listing for listing in db.session.scalars(
        select(Listing).where(Listing.status == ListingStatus.ACTIVE).order_by(Listing.id))
        if "新疆维吾尔自治区" in (listing.excluded_provinces or ()))
    return {"trace_code": code.display, "english_listing": english.id, "english_title": english.title_en,
            "sanctioned_cooperatives": sanctioned, "far_listing": far.id}



@pytest.fixture(scope="module")
def phone_for(browser, demo_site):
    """A phone-sized browser per role, signed in through the real form once."""
    from marketplace.demo.people import DEMO_PASSWORD

    base, _facts = demo_site
    contexts = {}

    def phone(email: str | None, locale: str = "en-US") -> Page:
        if (email, locale) not in contexts:
            context = browser.new_context(viewport=PHONE, locale=locale, is_mobile=True, has_touch=True)
            page = context.new_page()
            if email:
                sign_in(page, base, email, DEMO_PASSWORD)
            contexts[email, locale] = page
        return contexts[email, locale]

    yield phone
    for page in contexts.values():
        page.context.close()


def first_link(page: Page, base: str, start: str, pattern: str) -> str:
    """Open `start` and return the first link on it whose path matches `pattern` (a regex)."""
    page.goto(base + start)
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for href in hrefs:
        if re.fullmatch(pattern, href):
            return href
    raise AssertionError(f"no link like {pattern} on {start}: {hrefs}")


def assert_fits_a_phone(page: Page, path: str):
    overflow = page.evaluate(FIND_OVERFLOW, PHONE["width"])
    small = page.evaluate(FIND_SMALL_TARGETS, MIN_TAP)
    problems = []
    # A mobile browser widens its layout viewport to fit a too-wide page, so innerWidth
    # itself grows past the phone's width: compare with the phone, not only innerWidth.
    widest = max(overflow["scrollWidth"], overflow["innerWidth"])
    if widest > PHONE["width"] or overflow["offenders"]:
        problems.append(f"{path} is {widest} px wide on a {PHONE['width']} px phone; "
                        "too wide:\n  " + "\n  ".join(overflow["offenders"][:25]))
    if small:
        problems.append(f"{path}: tap targets under {MIN_TAP} px:\n  " + "\n  ".join(small[:25]))
    assert not problems, "\n".join(problems)


#: A province that fresh fruit of the demo is not sent to (新疆维吾尔自治区), as a URL spells it.
FAR_PROVINCE = "%E6%96%B0%E7%96%86%E7%BB%B4%E5%90%BE%E5%B0%94%E8%87%AA%E6%B2%BB%E5%8C%BA"


def _anonymous(base, facts, page):
    product = first_link(page, base, "/", r"/listings/\d+")
    cooperative = first_link(page, base, product, r"/cooperatives/\d+")
    standard = first_link(page, base, "/standards", r"/standards/[\w-]+")
    return [("/", None), ("/search?q=%E9%BE%99%E4%BA%95", None), (product, None),
            (f"{product}?province=%E4%B8%8A%E6%B5%B7%E5%B8%82", None), (cooperative, None),
            ("/standards", None), (standard, None), (f"/verify/{facts['trace_code']}", None),
            ("/verify", None), ("/login", None), ("/register", None), ("/password/forgot", None),
            ("/cart", _fill_cart), ("/api/v1/docs", None), ("/insights", None), ("/insights?dimension=county", None),
            ("/insights/method", None),
            # Search as shoppers type it: one character (many hits), spaced Chinese, English words.
            ("/search?q=%E6%A1%83", None), ("/search?q=%E9%BE%99+%E4%BA%95", None),
            ("/search?q=longjing+gift+box", None),
            # The product with the longest English title, on the English and the Chinese site.
            (f"/listings/{facts['english_listing']}", None),
            # A listing not sent to the chosen province: said up front, on the page and in the cart.
            (f"/listings/{facts['far_listing']}?province={FAR_PROVINCE}", None),
            (f"/cart?province={FAR_PROVINCE}", lambda page, base: _cart_not_sent(page, base, facts["far_listing"]))]


def _cart_not_sent(page: Page, base: str, listing_id: int):
    page.goto(base + "/cart?province=")
    page.goto(f"{base}/listings/{listing_id}")
    page.click("#add-to-cart-button")
    page.goto(f"{base}/cart?province={FAR_PROVINCE}")
    assert page.locator(".line-problem").count() >= 1 and page.locator("#go-to-checkout").count() == 0


def test_the_english_product_page_shows_its_english_title_and_fits_a_phone(demo_site, phone_for):
    base, facts = demo_site
    page = phone_for(None)
    page.goto(f"{base}/listings/{facts['english_listing']}")
    assert page.locator("h1").inner_text().strip() == facts["english_title"]
    assert_fits_a_phone(page, "the English product page")


def _fill_cart(page: Page, base: str):
    page.goto(base + "/")
    for href in page.locator("main a[href^='/listings/']").evaluate_all(
            "links => [...new Set(links.map(a => a.getAttribute('href')))].slice(0, 2)"):
        page.goto(base + href)
        page.click("#add-to-cart-button")
    page.goto(base + "/cart")


def _consumer(base, facts, page):
    order = first_link(page, base, "/orders", r"/orders/\d+")
    after_sale = _after_sale_form(page, base)
    complaint = first_link(page, base, "/complaints", r"/complaints/\d+")
    return [("/orders", None), (order, None), ("/account", None), ("/checkout", _fill_cart_for_checkout),
            (after_sale, None), ("/complaints", None), (complaint, None),
            ("/complaints/new?about=cooperative&id=1", None), (f"{order}/invoice", None)]


def _after_sale_form(page: Page, base: str) -> str:
    """The after-sales form of the consumer's first delivered parcel still within its window."""
    page.goto(base + "/orders")
    hrefs = page.locator("main a[href^='/orders/']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for href in hrefs:
        page.goto(base + href)
        ask = page.locator("a[href$='/after-sale']")
        if ask.count():
            return ask.first.get_attribute("href")
    raise AssertionError("no delivered demo parcel to ask about")


def _fill_cart_for_checkout(page: Page, base: str):
    _fill_cart(page, base)
    page.goto(base + "/checkout")
    page.click("#invoice-choice summary")  # the folded invoice (发票) fields are measured too


def _seller(base, facts, page):
    batch = first_link(page, base, "/seller/batches", r"/seller/batches/\d+")
    labels = first_link(page, base, "/seller/certification/", r"/seller/certification/batches/\d+/labels")
    sub_order = first_link(page, base, "/seller/orders", r"/seller/orders/\d+")
    listing = first_link(page, base, "/seller/listings", r"/seller/listings/\d+/edit")
    members = first_link(page, base, "/account", r"/cooperatives/\d+/members")
    statement = first_link(page, base, "/statements", r"/statements/\d+/\d{4}-\d{2}")
    sales = first_link(page, base, "/statements", r"/seller/sales/\d+")
    return [("/seller/", None), ("/seller/batches", None), ("/seller/batches/new", None),
            ("/seller/batches/new?product=longjing-tea", None), (batch, None), (f"{batch}/edit", None),
            ("/seller/listings", None), ("/seller/listings/new", None), (listing, None),
            ("/seller/orders", None), (sub_order, None), (f"{sub_order}/packing-list", None),
            ("/seller/shipping", None), ("/seller/pickup-points", None),
            ("/seller/certification/", None), ("/seller/certification/apply", None), (labels, None),
            (members, None), ("/seller/api-tokens", None), (members.replace("/members", "/settings"), None),
            ("/seller/after-sales", None), ("/seller/after-sales?show=all", None),
            ("/seller/complaints", None), ("/seller/reviews", None),
            ("/statements", None), (statement, None), (sales, None), (f"{sales}?by=product", None)]


def _official(base, facts, page):
    review = first_link(page, base, "/official/", r"/official/(certificates|authorizations)/\d+")
    certificate = first_link(page, base, "/official/certificates", r"/official/certificates/\d+")
    authorization = first_link(page, base, "/official/authorizations", r"/official/authorizations/\d+")
    return [("/official/", None), (review, None), ("/official/authorizations", None), (authorization, None),
            ("/official/certificates", None), (certificate, None), ("/official/audit", None)]


def _supervisor(base, facts, page):
    case = first_link(page, base, "/admin/after-sales", r"/admin/after-sales/\d+")
    complaint = first_link(page, base, "/admin/complaints", r"/admin/complaints/\d+")
    return [("/admin/", None), ("/admin/cooperatives", None), ("/admin/officials", None),
            ("/admin/standards", None), ("/admin/api-tokens", None), ("/admin/after-sales", None), (case, None),
            ("/admin/supervision", None), ("/admin/complaints", None),
            (complaint, None), ("/admin/cooperatives/1/measures", None), ("/admin/reviews", None),
            ("/admin/flagged-payments", None), ("/admin/appointments", None), ("/admin/audit-log", None),
            ("/insights", None), ("/statements", None)] + [
            # Measures in force and lifted, with their forms, and the public record showing both.
            (path, None) for cooperative in facts["sanctioned_cooperatives"]
            for path in (f"/admin/cooperatives/{cooperative}/measures", f"/cooperatives/{cooperative}")]


ROLES = {
    "anonymous": (None, _anonymous, "en-US"),
    "consumer": ("consumer@terroir.demo", _consumer, "en-US"),
    "seller": ("seller.longjing@terroir.demo", _seller, "en-US"),
    "official": ("official.hangzhou@terroir.demo", _official, "en-US"),
    "supervisor": ("supervisor@terroir.demo", _supervisor, "en-US"),
    # The Chinese site, as most shoppers and sellers read it.
    "anonymous-zh": (None, _anonymous, "zh-CN"),
    "seller-zh": ("seller.longjing@terroir.demo", _seller, "zh-CN"),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_every_main_page_fits_a_phone(role, demo_site, phone_for):
    base, facts = demo_site
    email, pages_of, locale = ROLES[role]
    page = phone_for(email, locale)
    problems = []
    for path, prepare in pages_of(base, facts, page):
        if prepare:
            prepare(page, base)
        else:
            response = page.goto(base + path)
            assert response.ok, f"{path} answered {response.status}"
        if folder := os.environ.get("PHONE_SCREENSHOTS"):  # to look at the pages, not only measure them
            name = re.sub(r"[^A-Za-z0-9]+", "_", f"{role}{path}").strip("_")
            page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
        try:
            assert_fits_a_phone(page, path)
        except AssertionError as error:
            problems.append(str(error))
    assert not problems, f"{role}:\n" + "\n".join(problems)


def test_the_menu_opens_on_a_phone_with_links_big_enough_to_tap(demo_site, phone_for):
    base, _facts = demo_site
    page = phone_for("consumer@terroir.demo")
    page.goto(base + "/")
    page.click(".nav-toggle-label")
    assert page.locator(".site-nav").is_visible()
    if folder := os.environ.get("PHONE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, "menu_open.png"))
    assert_fits_a_phone(page, "/ with the menu open")


def _inside_the_screen(page: Page, selector: str) -> list[dict]:
    """Each matching element's column label and whether it lies wholly on the screen."""
    return page.locator(selector).evaluate_all("""(cells, width) => cells.map(cell => {
        const box = cell.getBoundingClientRect();
        return {label: cell.getAttribute('data-label'), text: cell.innerText.trim(),
                inside: box.width > 0 && box.left >= 0 && box.right <= width};
    })""", PHONE["width"])


def test_cart_lines_show_their_subtotal_and_remove_button_on_a_phone(demo_site, phone_for):
    base, _facts = demo_site
    page = phone_for("consumer2@terroir.demo")
    _fill_cart(page, base)
    subtotals = _inside_the_screen(page, ".cart-table tbody tr > td:nth-child(4)")
    removes = _inside_the_screen(page, ".cart-table tbody tr button.link-button")
    assert len(subtotals) == 2 and len(removes) == 2
    assert all(cell["inside"] and cell["label"] == "Subtotal" and "¥" in cell["text"] for cell in subtotals), subtotals
    assert all(button["inside"] for button in removes), removes


def test_the_verify_page_shows_every_verdict_on_a_phone(demo_site, phone_for):
    base, facts = demo_site
    page = phone_for(None)
    page.goto(f"{base}/verify/{facts['trace_code']}")
    verdicts = _inside_the_screen(page, ".gi-findings tbody tr > td:last-child")
    assert verdicts, "the verify page shows no findings"
    assert all(cell["inside"] and cell["label"] == "Verdict" for cell in verdicts), verdicts
