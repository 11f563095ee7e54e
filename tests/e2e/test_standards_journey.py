"""A shopper reads a product's standard page, in Chinese and in English, and finds its whole area."""
import pytest
from playwright.sync_api import expect

from gi_standards import county_index, load_catalogue

CATALOGUE = load_catalogue()
#: One product wholly inside its counties, one with both kinds, one only partly inside.
PRODUCTS = ["korla-fragrant-pear", "longjing-tea", "huangshan-maofeng-tea"]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_standard_page_shows_the_whole_area(page, live_server, language):
    table = county_index()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/language/{language}?next=/standards")
    for slug in PRODUCTS:
        standard = CATALOGUE[slug]
        page.click(f"a[href='/standards/{slug}']")
        expect(page.locator("h1")).to_contain_text(standard.name(language))
        area = page.locator("#area li")
        expect(area).to_have_count(len(standard.county_codes))
        for code in standard.county_codes:
            county = table[code]
            item = page.locator(f"#area li[data-code='{code}']")
            expect(item).to_contain_text(county.name(language))
            marked = item.locator(".muted")
            if code in standard.partial_area:
                expect(marked).to_contain_text("仅部分乡镇" if language == "zh" else
                                               "some townships only")
            else:
                expect(marked).to_have_count(0)
        expect(page.locator("#checks-automatic")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.go_back()
