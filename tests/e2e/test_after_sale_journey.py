"""On a phone 390 px wide: a buyer whose peaches arrived rotten asks for a refund with a photo,
the cooperative refunds part of it, and the buyer sees the refund on the order page."""
from playwright.sync_api import expect

from tests.e2e.test_checkout_journey import signed_in_page
from tests.e2e.test_phone_layout import PHONE, assert_fits_a_phone
from tests.support.factories_catalog import image_bytes


def phone_page(browser, base, user):
    """A browser 390 px wide, signed in through the real form."""
    page = signed_in_page(browser, base, user)
    page.set_viewport_size(PHONE)
    return page


def test_a_buyer_asks_for_a_refund_with_a_photo_and_the_seller_refunds(browser, live_server, delivered_parcel):
    parcel = delivered_parcel(price_minor=5900, quantity=2)
    buyer = phone_page(browser, live_server, parcel.buyer)
    buyer.goto(f"{live_server}/orders/{parcel.order_id}")
    buyer.click(f"#after-sale-{parcel.sub_id}-ask")
    assert_fits_a_phone(buyer, "the after-sales request form")
    buyer.check("input[value=refund]")
    buyer.fill("#reason", "一半桃子到货时已经腐烂，有霉斑。Half of the peaches arrived rotten.")
    buyer.fill("#amount", "59")
    buyer.set_input_files("#photos", files=[{"name": "rotten.jpg", "mimeType": "image/jpeg",
                                              "buffer": image_bytes("JPEG", size=(800, 600))}])
    buyer.click("#after-sale-form button[type=submit]")
    expect(buyer.locator(".after-sale-status")).to_have_text("Waiting for the cooperative")
    expect(buyer.locator(".after-sale-photos img")).to_have_count(1)
    assert_fits_a_phone(buyer, "the order page with its after-sales request")

    seller = phone_page(browser, live_server, parcel.seller)
    seller.goto(f"{live_server}/seller/")
    expect(seller.locator("#nav-returns-count")).to_have_text("1")
    seller.goto(f"{live_server}/seller/after-sales")
    assert_fits_a_phone(seller, "the seller's returns")
    seller.locator("#after-sale-list a").first.click()
    expect(seller.locator(".after-sale-reason")).to_contain_text("Half of the peaches arrived rotten")
    assert_fits_a_phone(seller, "the seller's after-sales request")
    seller.fill("#amount", "59.00")
    seller.click("#accept-form button[type=submit]")
    expect(seller.locator(".after-sale-status")).to_have_text("Refunded")

    buyer.reload()
    expect(buyer.locator(".after-sale-refunded")).to_contain_text("¥59.00")
    expect(buyer.locator("#order-refunded")).to_contain_text("¥59.00")
    expect(buyer.locator(".timeline")).to_contain_text("After-sales refund granted")
