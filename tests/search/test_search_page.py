"""The search page: helpful with nothing or junk typed, facets that match the database,
sorting and pages, and a search box on every page."""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from tests.search.test_finding_listings import found_ids


def test_every_page_has_the_search_box(client):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<form[^>]*role="search"[^>]*action="/search"', page)
    assert 'id="search-q"' in page and 'name="q"' in page and "aria-label=" in page


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_explains_what_to_type(client, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "search-help" in page and "/search?q=longjing" in page


JUNK = ["((((", "AND OR NOT", "\x00", "x" * 10_240, "'; DROP TABLE listings; --", '"', "* ? ~ ^ :",
        "%_%", "\\", "<>", "😀😀", "龙井" * 3000, "a:b OR c:d", "' OR 1=1 --", "[[[", "'''"]


@pytest.mark.parametrize("query", JUNK, ids=range(len(JUNK)))
def test_junk_queries_give_a_page_never_an_error(client, make_product, query):
    make_product("西湖龙井 明前特级", slug="longjing-tea")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "search-help" in response.get_data(as_text=True) or 'id="search-total"' in response.get_data(as_text=True)


def test_junk_filters_and_pages_are_ignored(client, make_product):
    listing = make_product("西湖龙井", slug="longjing-tea")
    args = {"q": "龙井", "page": "abc", "sort": "DROP", "price": "1-2", "county": "<x>", "certified": "maybe",
            "province": "y" * 500}
    assert found_ids(client, **args) == [listing.id]
    assert client.get("/search?q=%E9%BE%99%E4%BA%95&page=99999999999999").status_code == 200


def test_a_very_long_query_is_shortened_and_the_shopper_told(client):
    page = client.get("/search", query_string={"q": "tea " * 2000}).get_data(as_text=True)
    assert "only its first" in page


@pytest.fixture
def catalogue(make_product):
    rows = [
        ("西湖龙井 特级", "longjing-tea", "330106", "tea", 26800),
        ("西湖龙井 一级", "longjing-tea", "330106", "tea", 12800),
        ("余杭 龙井茶 春茶", "longjing-tea", "330110", "tea", 6800),
        ("安溪铁观音 清香", "anxi-tieguanyin", "350524", "tea", 9800),
        ("五常大米 稻花香", "wuchang-rice", "230184", "rice", 8900),
        ("五常大米 长粒香", "wuchang-rice", "230184", "rice", 4500),
        ("平谷大桃 tea gift", "pinggu-peach", "110117", "fruit", 3900),
        ("中宁枸杞 tea blend", "ningxia-goji", "640521", "processed", 55000),
        ("Green tea sampler", None, "330106", "tea", 2000),
    ]
    return [make_product(title, slug=slug, county=county, category=category, price_minor=price)
            for title, slug, county, category, price in rows]


def facet_counts(page: str, name: str) -> dict[str, int]:
    """Read a facet's links: the value from the URL, the count beside it."""
    counts = {}
    for value, count in re.findall(
            rf'<a href="/search\?[^"]*?\b{name}=([^&"]+)[^"]*">[^<]*</a> <span class="count">(\d+)</span>', page):
        counts[unquote(value)] = int(count)
    return counts


def test_facet_counts_match_the_database(client, catalogue):
    from marketplace.catalog.models import Listing
    from marketplace.extensions import db

    page = client.get("/search", query_string={"q": "tea 茶"}).get_data(as_text=True)
    # "茶" is only in the tea category's words, so both words match tea listings only.
    matched = db.session.scalars(select(Listing).where(Listing.category == "tea")).all()
    assert sorted(found_ids(client, q="tea 茶")) == sorted(l.id for l in matched)
    assert f'id="search-total">{len(matched)} listings found' in page
    assert facet_counts(page, "province") == dict(Counter(l.cooperative.county.province_zh for l in matched))
    assert facet_counts(page, "county") == dict(Counter(l.cooperative.county_code for l in matched))
    assert facet_counts(page, "gi") == dict(Counter(l.batch.standard_slug for l in matched if l.batch))
    assert facet_counts(page, "category") == {"tea": len(matched)}
    bands = facet_counts(page, "price")
    assert sum(bands.values()) == len(matched)
    assert bands["10000-20000"] == sum(1 for l in matched if 10000 <= l.price_minor < 20000)


def test_narrowing_by_province_then_price_keeps_only_those_listings(client, catalogue):
    everything = set(found_ids(client, q="龙井"))
    assert everything == {catalogue[0].id, catalogue[1].id, catalogue[2].id}
    assert set(found_ids(client, q="longjing", province="浙江省")) == everything
    assert found_ids(client, q="longjing", province="浙江省", price="50000-") == []
    assert found_ids(client, q="longjing", province="浙江省", price="20000-50000") == [catalogue[0].id]
    assert found_ids(client, q="longjing", province="浙江省", price="10000-20000") == [catalogue[1].id]
    assert set(found_ids(client, q="longjing", county="330110")) == {catalogue[2].id}
    assert set(found_ids(client, gi="wuchang-rice")) == {catalogue[4].id, catalogue[5].id}
    assert set(found_ids(client, q="tea", category="fruit")) == {catalogue[6].id}


def test_facet_links_keep_the_query_and_can_be_removed(client, catalogue):
    page = client.get("/search", query_string={"q": "longjing", "province": "浙江省"}).get_data(as_text=True)
    assert "Remove" in page
    assert re.search(r'href="/search\?q=longjing"[^>]*>Remove', page) or 'class="facet-remove" href="/search?q=longjing"' in page


@pytest.mark.parametrize("sort, key", [("price_asc", lambda l: l.price_minor),
                                        ("price_desc", lambda l: -l.price_minor),
                                        ("newest", lambda l: -l.id)])
def test_results_can_be_sorted(client, catalogue, sort, key):
    tea = [l for l in catalogue if l.category == "tea"]
    expected = [l.id for l in sorted(tea, key=key)]
    assert found_ids(client, q="茶", sort=sort) == expected


def test_results_come_in_pages(client, catalogue, app):
    app.config["SEARCH_PAGE_SIZE"] = 2
    tea = sorted((l for l in catalogue if l.category == "tea"), key=lambda l: l.price_minor)
    seen = []
    for page in (1, 2, 3):
        seen += found_ids(client, q="茶", sort="price_asc", page=page)
    assert seen == [l.id for l in tea]
    last = client.get("/search", query_string={"q": "茶", "page": 99}).get_data(as_text=True)
    assert 'aria-current="page">3<' in last
    first = client.get("/search", query_string={"q": "茶"}).get_data(as_text=True)
    assert 'rel="next"' in first


def test_browsing_by_a_filter_alone_lists_its_listings(client, catalogue):
    assert set(found_ids(client, province="黑龙江省")) == {catalogue[4].id, catalogue[5].id}


def test_every_search_counts_for_the_demand_figures_even_when_served_from_a_shared_copy(app, client, catalogue,
                                                                                     login, make_user):
    """The public index's most searched words count searches, not the pages that had to be built."""
    from marketplace.extensions import db
    from marketplace.search.query_log import SearchQueryLog

    def logged() -> list[tuple[str, int, str]]:
        db.session.rollback()
        return [(row.query, row.result_count, row.gi_product)
                for row in db.session.scalars(select(SearchQueryLog).order_by(SearchQueryLog.id))]

    assert app.config["PUBLIC_PAGE_CACHE_SECONDS"] > 0  # copies on, as by default
    first = client.get("/search", query_string={"q": "龙井"}).get_data(as_text=True)
    again = app.test_client().get("/search", query_string={"q": "  龙井 "}).get_data(as_text=True)
    assert again == first  # the second visitor got the copy
    gi = app.test_client().get("/search", query_string={"q": "龙井", "gi": "longjing-tea"})
    nothing = app.test_client().get("/search", query_string={"q": "榴莲"})
    assert gi.status_code == nothing.status_code == 200
    app.test_client().get("/search", query_string={"q": "榴莲"})  # a copy of a search that found nothing
    signed_in = app.test_client()
    login(make_user(), test_client=signed_in)
    signed_in.get("/search", query_string={"q": "龙井"})  # built for this visitor alone
    assert logged() == [("龙井", 3, ""), ("龙井", 3, ""), ("龙井", 3, "longjing-tea"), ("榴莲", 0, ""),
                        ("榴莲", 0, ""), ("龙井", 3, "")]
