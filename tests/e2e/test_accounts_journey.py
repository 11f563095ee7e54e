"""A newcomer signs up, switches language, and registers a cooperative, in a real browser."""
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect
from sqlalchemy import select

from marketplace.cooperatives.models import Cooperative
from marketplace.extensions import db
from tests.support.browser import sign_in
from tests.support.factories import valid_credit_code


def test_newcomer_signs_up_and_registers_a_cooperative(page, live_server, make_county, outbox):
    make_county("330106")
    page.goto(f"{live_server}/language/en?next=/register")
    page.fill("#display_name", "Zhang Wei")
    page.fill("#email", "zhang.wei@example.com")
    page.fill("#password", "tea-garden-2026")
    page.fill("#confirm", "tea-garden-2026")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-info")).to_contain_text("we have sent a message to zhang.wei@example.com")
    link = re.search(r"http://\S+/register/confirm/\S+", outbox()[-1].get_content()).group(0)
    page.goto(live_server + urlsplit(link).path)
    expect(page.locator(".flash-success")).to_contain_text("Welcome to Terroir")

    page.goto(f"{live_server}/cooperatives/new")
    # First the province, by a plain GET form (no script): then the county list holds its counties.
    page.select_option("#province", "33")
    page.click("text=Show its counties")
    page.fill("#name", "Longjing Village Tea Cooperative")
    page.fill("#credit_code", "93330106XXXXXXXXX0")
    page.select_option("#county_code", "330106")
    page.fill("#address", "88 Longjing Village")
    page.fill("#phone", "13800138000")
    page.click("main form[method=post] button[type=submit]")
    expect(page.locator("#credit_code-errors")).to_be_visible()

    page.fill("#credit_code", valid_credit_code("330106"))
    page.click("main form[method=post] button[type=submit]")
    expect(page.locator("h1")).to_have_text("Longjing Village Tea Cooperative")
    assert db.session.scalar(select(Cooperative.name)) == "Longjing Village Tea Cooperative"

    page.click("text=中文")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_county_choice_fits_a_phone_and_works_without_script(browser, live_server, make_user):
    """Province first, then its counties: a 390 px page, no script needed, long names included."""
    from marketplace.cooperatives.models import County

    db.session.add(County(code="652826", name_zh="焉耆回族自治县", name_en="Yanqi Hui Autonomous County",
                          city_zh="巴音郭楞蒙古自治州", city_en="Bayingolin Mongol Autonomous Prefecture",
                          province_zh="新疆维吾尔自治区", province_en="Xinjiang"))
    db.session.commit()
    user = make_user()
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/language/en?next=/login")
    sign_in(page, live_server, user.email)
    page.goto(f"{live_server}/cooperatives/new")
    page.select_option("#province", "65")
    page.click("text=Show its counties")
    expect(page.locator("#county_code option[value='652826']")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#name", "Yanqi Pepper Cooperative")
    page.fill("#credit_code", valid_credit_code("652826"))
    page.select_option("#county_code", "652826")
    page.fill("#address", "1 Pepper Road")
    page.fill("#phone", "13800138000")
    page.click("main form[method=post] button[type=submit]")
    expect(page.locator("h1")).to_have_text("Yanqi Pepper Cooperative")
    db.session.commit()  # end the test's read snapshot, taken before the browser wrote
    assert db.session.scalar(select(Cooperative.county_code)) == "652826"
    context.close()
