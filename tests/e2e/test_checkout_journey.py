"""A shopper buys from two cooperatives with offline payment; each seller confirms payment
and ships; the shopper sees both tracking numbers."""
from playwright.sync_api import expect

from tests.support.browser import sign_in


def signed_in_page(browser, base, user):
    page = browser.new_context(locale="en-US").new_page()
    sign_in(page, base, user.email)
    return page


def ship_sub_order(page, base, tracking_number):
    page.goto(f"{base}/seller/orders")
    page.locator("main table a").first.click()
    page.click("text=Confirm payment received")
    page.select_option("#carrier", "sf")
    page.fill("#tracking_number", tracking_number)
    page.click("#ship-form button[type=submit]")
    expect(page.locator("#sub-order-status")).to_have_text("Shipped")


def test_shopper_buys_from_two_cooperatives_and_sees_tracking(
        browser, live_server, make_user, make_cooperative, make_listing_for_sale):
    tea_seller, rice_seller = make_user(name="Tea"), make_user(name="Rice")
    tea = make_listing_for_sale(make_cooperative(tea_seller, county="330106"), title="Longjing tea 250 g",
                                price_minor=26800, stock=5)
    rice = make_listing_for_sale(make_cooperative(rice_seller, county="230184"), title="Wuchang rice 5 kg",
                                 price_minor=9900, stock=5)
    shopper = signed_in_page(browser, live_server, make_user(name="Shopper"))
    for listing in (tea, rice):
        shopper.goto(f"{live_server}/listings/{listing.id}")
        shopper.click("#add-to-cart-button")
    shopper.goto(f"{live_server}/checkout")
    shopper.fill("#recipient", "周静")
    shopper.fill("#mobile", "13912345678")
    shopper.select_option("#province", "浙江省")
    shopper.fill("#city", "杭州市")
    shopper.fill("#county", "西湖区")
    shopper.fill("#street", "文三路 100 号")
    shopper.check("input[value=bank_transfer]")
    shopper.click("#place-order")
    expect(shopper.locator("#order-status")).to_be_visible()
    order_url = shopper.url

    ship_sub_order(signed_in_page(browser, live_server, tea_seller), live_server, "SF1234567890")
    ship_sub_order(signed_in_page(browser, live_server, rice_seller), live_server, "SF9876543210")

    shopper.goto(order_url)
    expect(shopper.locator(".tracking-number")).to_have_text(["SF1234567890", "SF9876543210"], timeout=5000)
    expect(shopper.locator("#order-status")).to_have_text("Shipped")
