"""A shopper asks for a company invoice (发票) while placing the order, first with a mistyped
credit code (named on its field, nothing placed), then right; the seller sees the request."""
from playwright.sync_api import expect

from tests.e2e.test_checkout_journey import signed_in_page


def test_a_company_invoice_is_asked_at_checkout_and_the_seller_sees_it(
        browser, live_server, make_user, make_cooperative, make_listing_for_sale):
    seller = make_user(name="Tea")
    tea = make_listing_for_sale(make_cooperative(seller, county="330106"), title="Longjing tea 250 g",
                                price_minor=26800, stock=5)
    shopper = signed_in_page(browser, live_server, make_user(name="Shopper"))
    shopper.goto(f"{live_server}/listings/{tea.id}")
    shopper.click("#add-to-cart-button")
    shopper.goto(f"{live_server}/checkout")
    for selector, value in (("#recipient", "周静"), ("#mobile", "13912345678"), ("#city", "杭州市"),
                            ("#county", "西湖区"), ("#street", "文三路 100 号")):
        shopper.fill(selector, value)
    shopper.select_option("#province", "浙江省")
    shopper.check("input[value=bank_transfer]")
    shopper.click("#invoice-choice summary")
    shopper.check("#invoice_wanted")
    shopper.check("input[name=invoice_kind][value=company]")
    shopper.fill("#invoice_title", "杭州茶叶有限公司")
    shopper.fill("#invoice_taxpayer_id", "91110000600037341X")
    shopper.click("#place-order")
    expect(shopper.locator("#invoice_taxpayer_id-errors")).to_contain_text("unified social credit code")
    expect(shopper.locator("#invoice-choice")).to_have_attribute("open", "")

    shopper.fill("#invoice_taxpayer_id", "91110000600037341L")
    shopper.click("#place-order")
    expect(shopper.locator("#order-status")).to_be_visible()
    expect(shopper.locator(".invoice")).to_contain_text("杭州茶叶有限公司")

    seller_page = signed_in_page(browser, live_server, seller)
    seller_page.goto(f"{live_server}/seller/orders")
    expect(seller_page.locator(".invoice-tag")).to_have_count(1)
    seller_page.locator("main table a").first.click()
    expect(seller_page.locator("#invoice-request")).to_contain_text("91110000600037341L")
