"""A shopper types a pinyin query, narrows by province and price, and opens a result."""
from playwright.sync_api import expect


def test_shopper_finds_west_lake_longjing_by_pinyin_and_narrows(page, live_server, make_product):
    make_product("西湖龙井 明前特级 250g", slug="longjing-tea", county="330106", price_minor=26800)
    make_product("西湖龙井 雨前一级 500g", slug="longjing-tea", county="330106", price_minor=8800)
    make_product("龙井茶 钱塘产区", slug="longjing-tea", county="330110", price_minor=6800)
    make_product("五常大米 稻花香 5kg", slug="wuchang-rice", county="230184", category="rice", price_minor=9900)
    make_product("安溪铁观音 清香型", slug="anxi-tieguanyin", county="350524", price_minor=26000)

    page.goto(f"{live_server}/language/en?next=/")
    page.fill("#search-q", "longjing")
    page.press("#search-q", "Enter")
    expect(page.locator("#search-total")).to_have_text("3 listings found")
    expect(page.locator("li[id^=hit-]")).to_have_count(3)

    page.click("#facet-province ~ ul >> text=Zhejiang")
    expect(page.locator("#search-total")).to_have_text("3 listings found")
    page.click("#facet-price ~ ul >> a >> nth=-1")
    expect(page.locator("#search-total")).to_have_text("1 listing found")
    hit = page.locator("li[id^=hit-]")
    expect(hit).to_contain_text("明前特级")
    hit.locator("a").first.click()
    expect(page.locator("h1")).to_have_text("西湖龙井 明前特级 250g")


def test_shopper_finds_by_one_character_and_by_a_word_typed_with_a_space(page, live_server, make_product):
    make_product("水蜜桃 精品 5斤", county="110117", category="fruit", price_minor=9800)
    make_product("平谷大桃 礼盒", slug="pinggu-peach", county="110117", category="fruit", price_minor=8800)
    make_product("西湖龙井 明前特级 250g", slug="longjing-tea", county="330106", price_minor=26800)

    page.goto(f"{live_server}/language/zh?next=/")
    page.fill("#search-q", "桃")
    page.press("#search-q", "Enter")
    expect(page.locator("li[id^=hit-]")).to_have_count(2)
    page.fill("#search-q", "龙 井")
    page.press("#search-q", "Enter")
    expect(page.locator("li[id^=hit-]")).to_have_count(1)
    expect(page.locator("li[id^=hit-]")).to_contain_text("明前特级")
