"""Sizes are searched: a shopper typing 礼盒 or "gift box" finds the listings that sell a gift box."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.catalog.models import ListingVariant
from marketplace.extensions import db
from marketplace.search.models import SearchOutbox
from tests.catalog.test_variants import add_size
from tests.search.test_finding_listings import found_ids


@pytest.fixture
def shop(make_user, make_cooperative, make_product, login, client):
    """A seller (signed in) with a rice listing in one 5 kg sack, and another shop's tea."""
    seller = make_user()
    cooperative = make_cooperative(seller, county="230184")
    rice = make_product("五常大米 稻花香", cooperative=cooperative, category="rice", county="230184")
    rice.variants[0].label = "5 kg 袋"
    db.session.commit()
    tea = make_product("明前绿茶", county="330106")
    login(seller)
    return {"rice": rice, "tea": tea, "client": client}


@pytest.mark.parametrize("query", ["礼盒", "gift box", "Gift", "大米 礼盒", "rice gift box"])
def test_a_size_added_by_the_seller_is_found_in_both_languages(shop, query):
    client = shop["client"]
    assert found_ids(client, q=query) == []
    response = add_size(client, shop["rice"], label="2 × 2.5 kg 礼盒", price="139.00", stock="5", weight_grams="5000")
    assert response.status_code == 302
    assert found_ids(client, q=query) == [shop["rice"].id]


def test_an_english_size_name_is_found_by_its_chinese_word(shop):
    client = shop["client"]
    add_size(client, shop["rice"], label="Gift box, 4 × 1 kg", price="168.00", stock="5", weight_grams="4000")
    assert found_ids(client, q="礼盒") == [shop["rice"].id]
    assert found_ids(client, q="袋") == [shop["rice"].id]  # its 5 kg sack, by its own word
    assert found_ids(client, q="sack") == [shop["rice"].id]


def test_a_renamed_size_reaches_the_outbox_and_the_index_alone(shop):
    """Only the size row changes (not the listing): the sync still re-indexes its listing."""
    client = shop["client"]
    variant = db.session.get(ListingVariant, shop["rice"].variants[0].id)
    variant.label = "5 kg 礼盒"
    db.session.flush()
    assert shop["rice"] not in db.session.dirty
    assert db.session.scalars(select(SearchOutbox.listing_id)).all() == [shop["rice"].id]
    db.session.commit()
    assert found_ids(client, q="礼盒") == [shop["rice"].id]
    assert found_ids(client, q="sack") == []


def test_a_retired_or_deleted_gift_box_is_no_longer_found(shop):
    client = shop["client"]
    add_size(client, shop["rice"], label="1 kg 礼盒", price="39.00", stock="5", weight_grams="1000")
    [gift] = [v for v in db.session.scalars(select(ListingVariant).where(
        ListingVariant.listing_id == shop["rice"].id)) if "礼盒" in v.label]
    assert found_ids(client, q="礼盒") == [shop["rice"].id]
    assert client.post(f"/seller/listings/{shop['rice'].id}/sizes/{gift.id}/remove").status_code == 302
    assert found_ids(client, q="礼盒") == []
    assert found_ids(client, q="大米") == [shop["rice"].id]
