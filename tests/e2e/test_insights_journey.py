"""A visitor reads the public index in Chinese, switches province and month, downloads the CSV;
the charts are drawn without any script."""
from playwright.sync_api import expect


def test_visitor_reads_the_index_in_chinese_switches_and_downloads(browser, live_server, app, last_month, sales_in):
    from marketplace.insights import snapshots

    sales_in(last_month, ["330106"] * 5 + ["230184"] * 5)
    sales_in(last_month.previous(), ["350524"] * 5, seed=9)
    snapshots.publish_month(last_month)
    snapshots.publish_month(last_month.previous())

    context = browser.new_context(java_script_enabled=False, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/language/zh?next=/insights")
    expect(page.locator("h1")).to_contain_text("电子商务公开指数")
    # Charts are SVG from the server: present with script off, each beside its table.
    for chart in ("#trend svg.line-chart", "#breakdown svg.bar-chart", "#map svg.province-map"):
        expect(page.locator(chart)).to_be_visible()
    expect(page.locator("#map .tile[data-province='浙江省']")).to_have_count(1)

    page.select_option("#filter-month", str(last_month))
    page.select_option("#filter-dimension", "county")
    page.select_option("#filter-province", "浙江省")
    page.click("#insights-filters button[type=submit]")
    expect(page.locator("#month-status")).to_contain_text("已发布")
    expect(page.locator("h1")).to_contain_text(str(last_month))
    expect(page.locator("#breakdown table")).to_contain_text("西湖区")
    expect(page.locator("#breakdown table")).not_to_contain_text("五常")
    expect(page.locator("#breakdown svg.bar-chart rect.bar")).to_have_count(1)

    with page.expect_download() as download:
        page.click("#download-csv")
    from pathlib import Path

    body = Path(download.value.path()).read_text(encoding="utf-8")
    assert body.startswith("month,status,metric") and f"{last_month},published,gmv" in body
    context.close()


def test_every_chart_has_its_table_and_fits_a_phone_without_script(browser, live_server, last_month, sales_in):
    from marketplace.insights import snapshots

    sales_in(last_month, ["330106"] * 5 + ["230184"] * 5)
    snapshots.publish_month(last_month)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server}/insights?month={last_month}")
    sections = page.locator("section.insights-chart")
    expect(sections).to_have_count(3)
    for index in range(3):
        section = sections.nth(index)
        expect(section.locator("svg")).to_have_count(1)
        expect(section.locator("svg")).to_be_visible()
        expect(section.locator("table")).to_have_count(1)
        expect(section.locator("table")).to_be_visible()
        assert section.locator("svg").bounding_box()["width"] <= 390
    # Nothing wider than the screen: the page scrolls only down.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
