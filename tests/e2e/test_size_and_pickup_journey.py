"""On a phone 390 px wide: a shopper chooses the 5 kg size of a product, sees its fee for a
province, and checks out to the cooperative's pickup point instead of an address."""
from playwright.sync_api import expect

from tests.e2e.test_phone_layout import PHONE, assert_fits_a_phone
from tests.support.browser import sign_in


def test_shopper_chooses_a_size_and_collects_at_a_pickup_point(browser, live_server, make_user, make_cooperative,
                                                                make_listing_for_sale):
    from marketplace.catalog.models import ListingVariant
    from marketplace.extensions import db
    from marketplace.orders.models import Order, PickupPoint

    seller = make_user(name="Seller")
    cooperative = make_cooperative(seller, county="330106", name="五常稻农合作社")
    rice = make_listing_for_sale(cooperative, title="五常大米 稻花香", price_minor=2500, stock=10, unit="500 g 袋",
                                 weight_grams=500)
    rice.variants.append(ListingVariant(position=1, label="5 kg 礼盒", price_minor=18000, stock=3, units_sold=0,
                                        weight_grams=5000))
    rice.stock = 13
    db.session.add(PickupPoint(cooperative_id=cooperative.id, name="民乐村益农信息社", province="黑龙江省",
                               city="哈尔滨市", county="五常市", street="民乐村 3 组", hours="每天 8:00–17:00",
                               active=True))
    db.session.commit()
    shopper = make_user(name="Shopper")

    page = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True).new_page()
    sign_in(page, live_server, shopper.email)

    page.goto(f"{live_server}/listings/{rice.id}")
    page.select_option("#delivery-province", "上海市")
    page.click("#province-chooser button[type=submit]")
    expect(page.locator("#delivery-fee")).to_contain_text("Shanghai")
    assert_fits_a_phone(page, f"/listings/{rice.id}")
    page.locator("label.variant-option", has_text="5 kg 礼盒").click()
    page.fill("#quantity", "2")
    page.click("#add-to-cart-button")
    expect(page.locator("main")).to_contain_text("5 kg 礼盒")
    expect(page.locator("#cart-total")).to_contain_text("360.00")
    assert_fits_a_phone(page, "/cart")

    page.click("#go-to-checkout")
    page.fill("#recipient", "周静")
    page.fill("#mobile", "13912345678")
    page.locator("#delivery-choice label", has_text="pickup point").click()
    page.select_option("#pickup_point_id", label="民乐村益农信息社 · 黑龙江省 哈尔滨市 五常市 民乐村 3 组")
    page.check("input[value=bank_transfer]")
    assert_fits_a_phone(page, "/checkout")
    page.click("#place-order")
    expect(page.locator("#order-status")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Collect at pickup point")
    expect(page.locator("main")).to_contain_text("民乐村益农信息社")
    assert_fits_a_phone(page, page.url)

    db.session.rollback()
    order = db.session.query(Order).one()
    assert (order.shipping_minor, order.total_minor, order.pickup_point_id is not None) == (0, 36000, True)
    assert [(line.unit, line.quantity) for line in order.sub_orders[0].lines] == [("5 kg 礼盒", 2)]
