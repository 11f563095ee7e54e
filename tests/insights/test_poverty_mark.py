"""The 脱贫县 mark (Art. 13) on listing cards, product pages and cooperative pages: shown for
cooperatives whose county the database flags from the sourced list, and for no other,
however a cooperative describes itself."""
from __future__ import annotations

import pytest

FLAGGED = "360734"  # 寻乌县, on the sourced list
PLAIN = "330106"  # 西湖区, not on it
MARK = 'data-mark="poverty-lifted"'


@pytest.fixture
def two_cooperatives(listed_counties, make_cooperative, make_listing_for_sale):
    listed_counties(FLAGGED, PLAIN)
    flagged = make_cooperative(county=FLAGGED, name="寻乌县百香果合作社")
    # Claims the status in its name and title; its county is not on the list.
    pretender = make_cooperative(county=PLAIN, name="脱贫县扶贫合作社")
    return {
        "flagged": (flagged, make_listing_for_sale(flagged, title="寻乌百香果")),
        "pretender": (pretender, make_listing_for_sale(pretender, title="脱贫县 绿茶")),
    }


def card_of(page: str, listing_id: int) -> str:
    start = page.index(f'id="listing-card-{listing_id}"')
    return page[start:page.index("</li>", start)]


def test_product_and_cooperative_pages_carry_the_mark_only_for_a_listed_county(client, two_cooperatives):
    cooperative, listing = two_cooperatives["flagged"]
    product = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert MARK in product and "Poverty-lifted county" in product
    assert MARK in client.get(f"/cooperatives/{cooperative.id}").get_data(as_text=True)

    cooperative, listing = two_cooperatives["pretender"]
    assert MARK not in client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert MARK not in client.get(f"/cooperatives/{cooperative.id}").get_data(as_text=True)


def test_listing_cards_carry_the_mark_only_for_a_listed_county(client, two_cooperatives):
    flagged = two_cooperatives["flagged"][1]
    pretender = two_cooperatives["pretender"][1]
    cooperative = two_cooperatives["flagged"][0]
    home = client.get("/").get_data(as_text=True)
    assert MARK in card_of(home, flagged.id) and MARK not in card_of(home, pretender.id)
    assert MARK in card_of(client.get(f"/cooperatives/{cooperative.id}").get_data(as_text=True), flagged.id)


def test_search_results_carry_the_mark(client, two_cooperatives):
    flagged = two_cooperatives["flagged"][1]
    pretender = two_cooperatives["pretender"][1]
    page = client.get("/search", query_string={"q": "百香果"}).get_data(as_text=True)
    assert f'id="hit-{flagged.id}"' in page and MARK in page
    page = client.get("/search", query_string={"q": "脱贫县"}).get_data(as_text=True)
    assert f'id="hit-{pretender.id}"' in page and MARK not in page


def test_the_mark_says_so_in_chinese_and_links_to_the_sourced_list(client, two_cooperatives):
    listing = two_cooperatives["flagged"][1]
    page = client.get(f"/listings/{listing.id}", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert ">脱贫县</a>" in page and "/insights/method#poverty-list" in page
    method = client.get("/insights/method").get_data(as_text=True)
    assert 'id="poverty-list"' in method and "2020-11-23" in method
