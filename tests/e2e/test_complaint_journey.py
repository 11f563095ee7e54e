"""A shopper reports a suspicious code from the verify page on a phone, with a photo of the
label; the market supervisor investigates and upholds it; the shopper is told and sees it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import sign_in
from tests.support.factories_catalog import image_bytes

PHONE = {"width": 390, "height": 844}
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5); })
    .map(el => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
}"""


@pytest.fixture
def phones(browser, live_server):
    """A phone per person, signed in through the real form."""
    contexts = []

    def phone_for(user):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        sign_in(page, live_server, user.email)
        return page

    yield phone_for
    for context in contexts:
        context.close()


def fits(page):
    """The page now on screen fits a phone (call it once the page's own content is visible:
    right after a click, the document may still be the one that is being replaced)."""
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    assert page.evaluate(TOO_WIDE) == [], page.url


def test_a_shopper_reports_a_counterfeit_and_the_supervisor_upholds_it(
        phones, live_server, gi_world, make_batch_certificate, make_user, outbox, tmp_path):
    from tests.support.factories_certification import trace_code_of

    world = gi_world()
    code = trace_code_of(make_batch_certificate(world.batch))
    shopper = make_user("shopper@example.com", name="Shopper Zhou")
    from marketplace.extensions import db

    shopper.language = "en"  # the shopper reads English mail (it follows their account, not the actor's)
    db.session.commit()
    supervisor = make_user("supervisor@example.com", name="Supervisor Wang", supervisor=True)
    label = tmp_path / "label.jpg"
    label.write_bytes(image_bytes(size=(320, 240)))

    page = phones(shopper)
    page.goto(f"{live_server}/verify/{code}")
    page.click("#report-counterfeit")
    expect(page.locator("#counterfeit-form")).to_be_visible()
    fits(page)
    page.fill("#message", "Bought at a market stall; the label's print is blurred and the seal was open.")
    page.set_input_files("#photos", str(label))
    page.click("#counterfeit-form button[type=submit]")
    expect(page.locator("#report-sent")).to_be_visible()
    page.click("#my-complaints")
    page.locator("#my-complaints a").first.click()
    expect(page.locator("#complaint-status")).to_have_text("received")
    expect(page.locator("#complaint-photos img")).to_have_count(1)
    fits(page)

    desk = phones(supervisor)
    desk.goto(f"{live_server}/admin/complaints")
    fits(desk)
    desk.locator("#handler-complaints a").first.click()
    expect(desk.locator("#complaint-status")).to_have_text("received")
    fits(desk)
    desk.select_option("#status", "investigating")
    desk.fill("#note", "We are checking the cooperative's packing records.")
    desk.click("#complaint-step-form button[type=submit]")
    expect(desk.locator("#complaint-status")).to_have_text("under investigation")
    desk.select_option("#status", "upheld")
    desk.fill("#note", "The code was copied onto fake tins; the seller of the stall is reported to the police.")
    desk.click("#complaint-step-form button[type=submit]")
    expect(desk.locator("#complaint-status")).to_have_text("upheld")
    fits(desk)

    page.reload()
    expect(page.locator("#complaint-status")).to_have_text("upheld")
    expect(page.locator("#complaint-steps")).to_contain_text("copied onto fake tins")
    told = [m for m in outbox() if m["To"] == "shopper@example.com"]
    assert [m["Subject"].split(": ")[-1] for m in told if ": " in m["Subject"]][-1] == "upheld"
