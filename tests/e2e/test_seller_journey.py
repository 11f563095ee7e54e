"""A seller records a batch that fails then passes the standard, lists it with a photo,
and a shopper finds it on the home page and its product page."""
import io

from PIL import Image
from playwright.sync_api import expect

from tests.support.browser import sign_in


def photo_file(tmp_path):
    path = tmp_path / "longjing.jpg"
    image = Image.new("RGB", (640, 480), (70, 120, 60))
    for x in range(0, 640, 40):
        for y in range(0, 480, 40):
            image.putpixel((x, y), (230, 220, 160))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_seller_records_batch_lists_it_and_shopper_sees_it(browser, live_server, make_user,
                                                           make_cooperative, make_gi_authorization, tmp_path):
    seller = make_user(name="Zhang Wei")
    cooperative = make_cooperative(seller, county="330106", name="Longjing Village Tea Cooperative")
    make_gi_authorization(cooperative)  # a listing is sold under a GI name only with an authorization
    page = browser.new_context(locale="en-US").new_page()
    sign_in(page, live_server, seller.email)

    page.goto(f"{live_server}/seller/batches/new")
    page.select_option("#product", "longjing-tea")
    page.click("#choose-product")
    page.fill("#harvest_date", "2026-04-02")
    page.select_option("#variety", "龙井43")
    page.fill("#quantity", "120")
    page.fill("#lab_name", "Zhejiang Tea Quality Centre")
    page.fill("#lab_report_number", "ZJ-2026-0412")
    page.fill("#measurement_moisture", "8.1")
    page.click("#save-batch")
    expect(page.locator("#validation-verdict")).to_have_class("status status-failed")
    expect(page.locator("#validation")).to_contain_text("8.1")

    page.click("text=Edit batch")
    page.fill("#measurement_moisture", "6.2")
    page.click("#save-batch")
    expect(page.locator("#validation-verdict")).to_have_class("status status-passed")
    batch_url = page.url

    page.goto(f"{live_server}/seller/listings/new")
    page.fill("#title", "West Lake Longjing, spring 2026")
    page.fill("#description", "Hand-picked **before Qingming**.")
    page.select_option("#category", "tea")
    page.fill("#price", "268.00")
    page.fill("#unit", "250 g tin")
    page.fill("#weight_grams", "250")  # net weight: 40 tins take 10 kg of the 120 kg batch
    page.fill("#stock", "40")
    page.select_option("#status", "active")
    page.select_option("#batch_id", batch_url.rstrip("/").rsplit("/", 1)[-1])
    page.set_input_files("#photos", str(photo_file(tmp_path)))
    page.click("#save-listing")
    expect(page.locator(".flash-success")).to_be_visible()

    shopper = browser.new_context(locale="en-US").new_page()
    shopper.goto(live_server + "/")
    shopper.click("text=West Lake Longjing, spring 2026")
    expect(shopper.locator("h1")).to_have_text("West Lake Longjing, spring 2026")
    expect(shopper.locator("#price")).to_contain_text("268.00")
    expect(shopper.locator("#harvest-date")).to_contain_text("2026")
    expect(shopper.locator("#description strong")).to_have_text("before Qingming")
    expect(shopper.locator("#gi-facts")).to_contain_text("awaiting certification")
    expect(shopper.locator("img").first).to_be_visible()
