"""Shoppers find West Lake Longjing and Wuchang rice however they write them."""
from __future__ import annotations

import re

import pytest


@pytest.fixture
def shop(make_product):
    """Four live listings in three provinces, two of them GI products."""
    return {
        "longjing": make_product("西湖龙井 明前特级 250g", slug="longjing-tea", county="330106",
                                 cooperative_name="杭州西湖龙井茶农专业合作社",
                                 description="Hand-picked **before Qingming** on the hills of the West Lake.",
                                 price_minor=26800),
        "wuchang": make_product("五常大米 稻花香2号 5kg", slug="wuchang-rice", county="230184",
                                category="rice", cooperative_name="五常市稻花香水稻种植专业合作社",
                                description="今年的五常大米，颗粒饱满。", price_minor=8900),
        "tieguanyin": make_product("安溪铁观音 浓香型", slug="anxi-tieguanyin", county="350524",
                                   cooperative_name="安溪县铁观音茶叶专业合作社", price_minor=15800),
        "rice": make_product("东北大米 长粒香", county="230184", category="rice",
                             cooperative_name="五常市稻花香水稻种植专业合作社",
                             description="大米 五 常 见", price_minor=4500),
    }


def found_ids(client, **args) -> list[int]:
    response = client.get("/search", query_string=args)
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'id="hit-(\d+)"', response.get_data(as_text=True))]


@pytest.mark.parametrize("query", ["longjing", "Longjing tea", "龙井", "西湖龙井", "west lake",
                                   "LONGJING", "xihu longjing", "long jing", "dragon well",
                                   "West Lake Dragon Well tea"])
def test_west_lake_longjing_is_found_by_every_name(client, shop, query):
    assert shop["longjing"].id in found_ids(client, q=query)


@pytest.mark.parametrize("query", ["longjin", "logjing"])
def test_a_misspelt_longjing_still_finds_it_and_suggests_the_spelling(client, shop, query):
    response = client.get("/search", query_string={"q": query})
    page = response.get_data(as_text=True)
    assert shop["longjing"].id in found_ids(client, q=query)
    assert 'id="did-you-mean"' in page and ">longjing</a>" in page


def test_wuchang_rise_finds_wuchang_rice_and_suggests_it(client, shop):
    page = client.get("/search", query_string={"q": "wuchang rise"}).get_data(as_text=True)
    assert shop["wuchang"].id in found_ids(client, q="wuchang rise")
    assert ">wuchang rice</a>" in page


def test_a_chinese_phrase_in_quotes_matches_those_words_in_order(client, shop):
    found = found_ids(client, q='"五常大米"')
    assert shop["wuchang"].id in found
    # Both words appear in the other rice listing's description, but not side by side.
    assert shop["rice"].id not in found
    assert shop["rice"].id in found_ids(client, q="大米")


def test_an_english_phrase_in_curly_quotes_is_a_phrase_too(client, shop):
    assert found_ids(client, q="“west lake”") == [shop["longjing"].id]
    assert found_ids(client, q='"lake west"') == []


def test_matches_are_highlighted_and_everything_else_escaped(client, make_product):
    listing = make_product("<script>alert(1)</script> 龙井 & co", slug="longjing-tea")
    page = client.get("/search", query_string={"q": "龙井"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>龙井</mark> &amp; co" in page
    assert f'/listings/{listing.id}' in page


def test_pinyin_query_highlights_the_chinese_word(client, shop):
    page = client.get("/search", query_string={"q": "longjing"}).get_data(as_text=True)
    assert "西湖<mark>龙井</mark>" in page
