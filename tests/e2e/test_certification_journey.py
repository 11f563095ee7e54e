"""An official certifies a batch; a shopper scans the printed QR code and sees it valid,
then revoked once the official revokes it.

The batch code (the first label) is the same on every package and is not counted; the
shopper scans a numbered package code, whose checks are."""
import io

import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.support.browser import sign_in


def decode_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert results, "no QR code found in the label"
    return results[0].text


def test_official_certifies_and_shopper_verifies_from_the_qr_code(
        browser, live_server, gi_world, make_batch_certificate):
    world = gi_world()
    submitted = make_batch_certificate(world.batch, status="submitted")

    official = browser.new_context(locale="en-US")
    official_page = official.new_page()
    sign_in(official_page, live_server, world.official.email)
    official_page.goto(f"{live_server}/official/")
    official_page.click(f"a[href='/official/certificates/{submitted.id}']")
    # A review, not a click: the lab report read, and the finding left to the official answered.
    official_page.check("#certify-lab_report_read")
    official_page.check("#certify-check_0_answer-0")
    official_page.fill("#certify-check_0_note", "Tasted the sample: premium appearance and taste.")
    official_page.click("#certify-form button[type=submit]")
    expect(official_page.locator("#certificate-status, .flash-success").first).to_be_visible()

    seller = browser.new_context(locale="en-US")
    seller_page = seller.new_page()
    sign_in(seller_page, live_server, world.seller.email)
    seller_page.goto(f"{live_server}/seller/certification/batches/{world.batch.id}/labels")
    batch_url = decode_qr(seller_page.locator("#label-sheet .label img").first.screenshot())
    assert batch_url.startswith(live_server + "/verify/")
    seller_page.fill("#serials-form input[name=count]", "2")
    # No listing sells this batch yet, so the seller says what one package holds.
    seller_page.fill("#serials-form input[name=net_weight_grams]", "250")
    seller_page.click("#serials-form button[type=submit]")
    expect(seller_page.locator("#label-sheet .label")).to_have_count(3)
    package_url = decode_qr(seller_page.locator("#label-sheet .label img").last.screenshot())
    assert package_url.startswith(live_server + "/verify/") and package_url != batch_url

    shopper = browser.new_context(locale="en-US").new_page()
    shopper.goto(batch_url)
    expect(shopper.locator("#batch-code-note")).to_be_visible()
    shopper.goto(package_url)
    expect(shopper.locator("#gi-badge")).to_be_visible()
    expect(shopper.locator(".banner-ok")).to_be_visible()
    expect(shopper.locator("#check-count")).to_contain_text("Checked 1 time")
    expect(shopper.locator("#verify-review")).to_contain_text("Tasted the sample")

    official_page.goto(f"{live_server}/official/certificates/{submitted.id}")
    official_page.fill("#revoke-form textarea, #revoke-form input[name=reason]", "Pesticide residue found on re-test")
    official_page.click("#revoke-form button[type=submit]")

    shopper.reload()
    expect(shopper.locator("[data-warning=certificate_revoked]")).to_be_visible()
    expect(shopper.locator("#no-badge")).to_be_visible()
