"""Every GI claim a shopper sees names its product: hits, cards, product page, both facets."""
from __future__ import annotations

import re
from datetime import date

import pytest

from tests.search.test_finding_listings import found_ids


@pytest.fixture
def two_products(gi_world, make_batch_certificate, make_listing, make_user, make_cooperative, make_batch,
                 make_gi_authorization):
    """A certified Longjing listing and a certified Wuchang rice listing."""
    tea = gi_world()
    make_batch_certificate(tea.batch)
    longjing = make_listing(tea.cooperative, title="西湖龙井 特级 明前", batch=tea.batch)
    rice_cooperative = make_cooperative(make_user(), county="230184")
    make_gi_authorization(rice_cooperative, slug="wuchang-rice")
    rice_batch = make_batch(rice_cooperative, slug="wuchang-rice", variety="稻花香2号", grade=None,
                            measurements={}, harvest_date=date(2025, 10, 3))
    make_batch_certificate(rice_batch)
    rice = make_listing(rice_cooperative, title="五常大米 稻花香 5kg", batch=rice_batch, category="rice")
    return {"longjing": longjing, "rice": rice}


def bare_certified(page: str) -> list[str]:
    """Badges whose text is a bare "GI certified" / "地理标志认证", with no product before it."""
    return re.findall(r'data-badge="certified"[^>]*>\s*(?:GI certified|地理标志认证)\s*<', page)


def test_search_hits_name_the_product_of_their_badge(client, two_products):
    page = client.get("/search", query_string={"certified": "1"}).get_data(as_text=True)
    assert "Longjing tea · GI certified" in page and "Wuchang rice · GI certified" in page
    assert bare_certified(page) == []
    client.set_cookie("lang", "zh")
    page = client.get("/search", query_string={"certified": "1"}).get_data(as_text=True)
    assert "龙井茶 · 地理标志认证" in page and "五常大米 · 地理标志认证" in page
    assert bare_certified(page) == []


def test_the_certified_facet_says_which_product_it_counts(client, two_products):
    page = client.get("/search", query_string={"certified": "1"}).get_data(as_text=True)
    entries = re.findall(r'class="facet-certified-product"><a href="([^"]+)">([^<]+)</a> <span class="count">(\d+)',
                         page)
    assert {(label, count) for _href, label, count in entries} == {
        ("Longjing tea · GI certified", "1"), ("Wuchang rice · GI certified", "1")}
    href = next(h for h, label, _c in entries if label.startswith("Longjing"))
    assert found_ids(client, **dict(re.findall(r"(\w+)=([^&]+)", href.split("?", 1)[1].replace("&amp;", "&")))) \
        == [two_products["longjing"].id]
    chosen = client.get("/search", query_string={"gi": "wuchang-rice"}).get_data(as_text=True)
    assert "Wuchang rice · GI certified only" in chosen


def test_cards_and_product_page_name_the_product(client, two_products):
    home = client.get("/").get_data(as_text=True)
    assert "Longjing tea · GI certified" in home and "Wuchang rice · GI certified" in home
    assert bare_certified(home) == []
    product = client.get(f"/listings/{two_products['rice'].id}").get_data(as_text=True)
    assert "Wuchang rice · GI certified" in product and bare_certified(product) == []
