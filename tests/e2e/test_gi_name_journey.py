"""An official revokes a cooperative's GI authorization; the shopper's next search and product
page no longer offer its listings under the protected name, and the seller sees why."""
from playwright.sync_api import expect

from tests.support.browser import sign_in


def test_revoking_an_authorization_takes_the_name_off_search_and_the_product_page(
        browser, live_server, gi_world, make_batch_certificate, make_listing):
    world = gi_world()
    make_batch_certificate(world.batch)
    revoked = make_listing(world.cooperative, title="西湖龙井 明前特级 250g", batch=world.batch)
    neighbour = gi_world()
    make_batch_certificate(neighbour.batch)
    kept = make_listing(neighbour.cooperative, title="西湖龙井 雨前一级 250g", batch=neighbour.batch)

    shopper = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844}).new_page()
    shopper.goto(f"{live_server}/search?q=西湖龙井")
    expect(shopper.locator(f"#hit-{revoked.id}")).to_contain_text("Longjing tea · GI certified")
    expect(shopper.locator(f"#hit-{kept.id}")).to_be_visible()
    shopper.click(f"#hit-{revoked.id} h2 a")
    expect(shopper.locator("#gi-mark")).to_contain_text("Longjing tea · GI certified")
    product_url = shopper.url

    official = browser.new_context(locale="en-US").new_page()
    sign_in(official, live_server, world.official.email)
    official.goto(f"{live_server}/official/authorizations/{world.authorization.id}")
    official.fill("#revoke-form textarea", "Tea bought in from outside the protected area.")
    official.click("#revoke-form button[type=submit]")
    expect(official.locator(".flash-success").first).to_be_visible()

    shopper.goto(f"{live_server}/search?q=西湖龙井")
    expect(shopper.locator(f"#hit-{kept.id}")).to_be_visible()
    expect(shopper.locator(f"#hit-{revoked.id}")).to_have_count(0)
    response = shopper.goto(product_url)
    assert response.status == 404
    shopper.goto(f"{live_server}/search?q=西湖龙井&certified=1")
    expect(shopper.locator(f"#hit-{revoked.id}")).to_have_count(0)
    expect(shopper.locator(".facet-certified-product")).to_contain_text("Longjing tea · GI certified")

    seller = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844}).new_page()
    sign_in(seller, live_server, world.seller.email)
    seller.goto(f"{live_server}/seller/listings")
    expect(seller.locator(f"#listing-{revoked.id}-paused")).to_contain_text("was revoked")
    expect(seller.locator(f"#listing-{revoked.id}-paused")).to_contain_text("Tea bought in from outside")
    assert seller.evaluate("document.documentElement.scrollWidth") <= 390 + 1
