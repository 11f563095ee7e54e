"""The poverty-alleviation facet (Art. 13) on each search backend: it keeps exactly the
listings of cooperatives whose county the database flags as lifted out of poverty (脱贫县),
never a listing that only says so in its words, and follows the flag when it changes."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.search.test_finding_listings import found_ids

FLAGGED = "360734"  # 寻乌县, on the sourced list
PLAIN = "330106"  # 西湖区, not on it


@pytest.fixture
def shelves(listed_counties, make_product):
    from marketplace.core.poverty_counties import poverty_lifted_codes

    assert FLAGGED in poverty_lifted_codes() and PLAIN not in poverty_lifted_codes()
    listed_counties(FLAGGED, PLAIN)
    return {
        "flagged": [make_product("寻乌 百香果 茶饮", county=FLAGGED, category="fruit"),
                    make_product("寻乌 绿茶", county=FLAGGED, category="tea")],
        # Says 脱贫县 in every word it has, yet its county is not on the list.
        "pretender": make_product("脱贫县 绿茶 扶贫", county=PLAIN, cooperative_name="脱贫县扶贫合作社",
                                  description="脱贫县 poverty-lifted county"),
        "plain": [make_product("西湖 绿茶", county=PLAIN), make_product("西湖 龙井茶", county=PLAIN)],
    }


def poverty_count(page: str) -> int | None:
    found = re.search(r'id="facet-poverty-link">[^<]*</a> <span class="count">(\d+)</span>', page) or \
        re.search(r'class="facet-chosen"><span>Counties lifted out of poverty only</span> <span class="count">(\d+)', page)
    return int(found.group(1)) if found else None


def test_the_facet_counts_and_keeps_only_listings_of_flagged_counties(client, shelves):
    from marketplace.catalog.models import Listing
    from marketplace.cooperatives.models import Cooperative, County
    from marketplace.extensions import db

    expected = set(db.session.scalars(
        select(Listing.id).join(Cooperative).join(County, County.code == Cooperative.county_code)
        .where(County.poverty_lifted.is_(True))))
    assert expected == {listing.id for listing in shelves["flagged"]}

    page = client.get("/search", query_string={"q": "茶"}).get_data(as_text=True)
    assert poverty_count(page) == 2
    assert set(found_ids(client, q="茶", poverty="1")) == expected
    narrowed = client.get("/search", query_string={"q": "茶", "poverty": "1"}).get_data(as_text=True)
    assert poverty_count(narrowed) == 2 and 'id="search-total">2 listings found' in narrowed
    # The facet combines with the others, and works without words typed.
    assert found_ids(client, q="茶", poverty="1", category="tea") == [shelves["flagged"][1].id]
    assert set(found_ids(client, poverty="1")) == expected


def test_a_listing_that_only_claims_the_status_is_not_kept(client, shelves):
    assert shelves["pretender"].id in found_ids(client, q="脱贫县")
    assert found_ids(client, q="脱贫县", poverty="1") == []
    page = client.get("/search", query_string={"q": "扶贫"}).get_data(as_text=True)
    assert poverty_count(page) is None and "None of these listings" in page


@pytest.mark.parametrize("value", ["maybe", "0", "", "<script>"])
def test_other_values_of_the_flag_do_not_filter(client, shelves, value):
    assert len(found_ids(client, q="茶", poverty=value)) == 5


def test_the_facet_follows_the_county_flag(client, shelves):
    from marketplace.cooperatives.models import County
    from marketplace.extensions import db

    db.session.get(County, FLAGGED).poverty_lifted = False
    db.session.get(County, PLAIN).poverty_lifted = True
    db.session.commit()
    kept = set(found_ids(client, q="茶", poverty="1"))
    assert kept == {shelves["pretender"].id, *(listing.id for listing in shelves["plain"])}
