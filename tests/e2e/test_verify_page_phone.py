"""The verify page on a phone: 390 px wide, opened from a QR code, nothing wider than the screen."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

#: Elements whose right edge passes the viewport, with their tag, id and class.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5); })
    .map(el => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
}"""


@pytest.fixture
def certified_world(gi_world, make_batch_certificate):
    world = gi_world()
    world.certificate = make_batch_certificate(world.batch)
    return world


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="zh-CN",
                                  user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                                             "AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.44")
    yield context.new_page()
    context.close()


def assert_fits(page, name: str, tmp_path):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(TOO_WIDE) == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_verify_page_fits_a_390px_phone_with_every_section(
        phone, live_server, certified_world, make_user, login, app, tmp_path, language):
    from tests.support.factories_certification import package_codes

    world = certified_world
    app.config["VERIFY_PLACE_HEADER"] = "X-Client-County"
    code = package_codes(world.certificate, 1)[0]
    supervisor = login(make_user(supervisor=True), test_client=app.test_client())
    supervisor.post(
        f"/official/certificates/{world.certificate.id}/recall",
        data={"recall-reason": "Pesticide residue above the limit of GB 2763-2021 found in a re-test; "
                               "return every package of this batch to the seller."})
    phone.context.set_extra_http_headers({"X-Client-County": "浙江省杭州市西湖区"})
    phone.context.add_cookies([{"name": "lang", "value": language[:2], "url": live_server}])
    phone.goto(f"{live_server}/verify/{code}")
    phone.reload()  # the same phone: still one check
    expect(phone.locator("#recall-notice")).to_be_visible()
    expect(phone.locator("#check-count")).to_contain_text("1")
    expect(phone.locator("#first-check")).to_contain_text("浙江省杭州市西湖区")
    expect(phone.locator(".gi-findings td").first).to_be_visible()
    # The verdict column is on screen, not cut off to the right.
    verdict = phone.locator(".gi-findings tbody tr").first.locator("td").last
    box = verdict.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    assert_fits(phone, f"verify-{language}", tmp_path)

    phone.click("#report-counterfeit")
    expect(phone.locator("#counterfeit-form")).to_be_visible()
    assert_fits(phone, f"report-{language}", tmp_path)


def test_a_second_phone_sees_the_second_check_warning(browser, live_server, certified_world):
    from tests.support.factories_certification import package_codes

    code = package_codes(certified_world.certificate, 1)[0]
    pages = []
    for n in (1, 2):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                      user_agent=f"Mozilla/5.0 (Linux; Android 14; Phone {n}) Mobile Safari")
        page = context.new_page()
        page.goto(f"{live_server}/verify/{code}")
        pages.append(page)
    expect(pages[0].locator("#repeat-check-warning")).to_have_count(0)
    expect(pages[1].locator("#repeat-check-warning")).to_contain_text("已被查询 2 次")
