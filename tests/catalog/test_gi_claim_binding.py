"""A listing linked to a batch sells that batch's GI product: its words are bound to the batch.

Each case is one a dishonest seller tried: another tea on a certified Longjing batch, a
second product's name beside the batch's own, a zone name on a batch from outside the
zone. Each is refused on the seller's page, and a row saved before the rule shows no
claim on the product page, the cards, search, or the certified filter.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Listing, ListingStatus
from marketplace.extensions import db
from tests.seller.test_listings import listing_form

XIHU, XIAOSHAN = "330106", "330109"  # 西湖区 (西湖 zone), 萧山区 (钱塘 zone)


def listing_count() -> int:
    return db.session.scalar(select(func.count(Listing.id)))


@pytest.fixture
def tea_world(make_user, make_cooperative, make_gi_batch, make_gi_authorization, make_batch_certificate):
    """A verified, authorized Longjing cooperative in 西湖区 with a certified batch."""
    seller = make_user(name="Tea seller")
    cooperative = make_cooperative(seller, county=XIHU, name="西湖茶农合作社")
    authorization = make_gi_authorization(cooperative)
    batch = make_gi_batch(cooperative)
    certificate = make_batch_certificate(batch)
    return {"seller": seller, "cooperative": cooperative, "authorization": authorization,
            "batch": batch, "certificate": certificate}


def post_live(client, world, batch, title, description=""):
    return client.post("/seller/listings/new", data=listing_form(
        world["cooperative"], status="active", title=title, description=description, batch_id=str(batch.id)))


def test_another_tea_cannot_go_live_on_a_certified_longjing_batch(client, login, tea_world):
    login(tea_world["seller"])
    response = post_live(client, tea_world, tea_world["batch"], "云南滇红 功夫红茶")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="title-errors"' in page and "The linked batch is Longjing tea, so the title must name it" in page
    assert listing_count() == 0


def test_the_same_title_may_wait_as_a_draft_and_the_seller_sees_why(client, login, tea_world):
    login(tea_world["seller"])
    data = listing_form(tea_world["cooperative"], title="云南滇红 功夫红茶", batch_id=str(tea_world["batch"].id))
    assert client.post("/seller/listings/new", data=data).status_code == 302
    listing = db.session.scalar(select(Listing))
    assert listing.status == ListingStatus.DRAFT
    rows = client.get("/seller/listings").get_data(as_text=True)
    assert f'id="listing-{listing.id}-refusal"' in rows and "so the title must name it" in rows
    response = client.post(f"/seller/listings/{listing.id}/status", data={"status": "active"},
                           follow_redirects=True)
    assert "so the title must name it" in response.get_data(as_text=True)
    db.session.refresh(listing)
    assert listing.status == ListingStatus.DRAFT


def test_a_second_products_name_beside_the_batchs_own_is_refused(client, login, tea_world):
    login(tea_world["seller"])
    response = post_live(client, tea_world, tea_world["batch"], "西湖龙井 × 五常大米 礼盒")
    assert response.status_code == 400
    assert "“五常大米” is a protected geographical-indication name of Wuchang rice" in response.get_data(as_text=True)
    assert listing_count() == 0


def test_the_batchs_own_name_goes_live_with_the_product_named_on_the_badge(client, login, tea_world):
    login(tea_world["seller"])
    assert post_live(client, tea_world, tea_world["batch"], "龙井茶 明前特级 250g").status_code == 302
    listing = db.session.scalar(select(Listing))
    assert listing.status == ListingStatus.ACTIVE
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "Longjing tea · GI certified" in page
    client.set_cookie("lang", "zh")
    assert "龙井茶 · 地理标志认证" in client.get(f"/listings/{listing.id}").get_data(as_text=True)


def test_a_zone_name_needs_a_batch_from_the_zone(client, login, tea_world, make_gi_batch):
    xiaoshan = make_gi_batch(tea_world["cooperative"], county=XIAOSHAN)
    login(tea_world["seller"])
    for title in ("西湖龙井 明前", "West Lake Longjing, spring"):
        response = post_live(client, tea_world, xiaoshan, title)
        assert response.status_code == 400, title
        page = response.get_data(as_text=True)
        assert 'id="title-errors"' in page and "is kept for Longjing tea from part of its protected area" in page
    assert listing_count() == 0
    # The product's general name suits a batch from anywhere in the protected area,
    assert post_live(client, tea_world, xiaoshan, "龙井茶 钱塘 明前").status_code == 302
    # and the zone name suits a batch from the zone.
    assert post_live(client, tea_world, tea_world["batch"], "西湖龙井 明前").status_code == 302
    assert listing_count() == 2


def test_a_zone_name_in_the_description_is_held_to_the_same_rule(client, login, tea_world, make_gi_batch):
    xiaoshan = make_gi_batch(tea_world["cooperative"], county=XIAOSHAN)
    login(tea_world["seller"])
    response = post_live(client, tea_world, xiaoshan, "龙井茶 明前", description="正宗西湖龙井口感")
    assert response.status_code == 400 and 'id="description-errors"' in response.get_data(as_text=True)


@pytest.mark.parametrize("title,zone", [
    ("云南滇红 功夫红茶", False),
    ("西湖龙井 × 五常大米 礼盒", False),
    ("西湖龙井 钱塘 明前", True),
])
def test_a_row_saved_before_the_rule_claims_nothing_anywhere(client, tea_world, make_gi_batch, make_listing,
                                                            request, title, zone):
    """Rows written before this rule (or by any other path) are judged by the badge rule too."""
    batch = tea_world["batch"]
    if zone:
        batch = make_gi_batch(tea_world["cooperative"], county=XIAOSHAN)
        request.getfixturevalue("make_batch_certificate")(batch)
    listing = make_listing(tea_world["cooperative"], title=title, batch=batch)
    product = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert product.count("data-badge=") == 0 and 'id="gi-mark">Not certified' in product
    home = client.get("/").get_data(as_text=True)
    assert f"/listings/{listing.id}" in home and 'data-badge="certified"' not in home
    hits = client.get("/search", query_string={"q": title.split()[0]}).get_data(as_text=True)
    assert f'id="hit-{listing.id}"' in hits and 'data-badge="certified"' not in hits
    certified = client.get("/search", query_string={"q": title.split()[0], "certified": "1"}).get_data(as_text=True)
    assert f'id="hit-{listing.id}"' not in certified
    # Nor is it filed under the batch's GI product.
    by_product = client.get("/search", query_string={"gi": "longjing-tea"}).get_data(as_text=True)
    assert f'id="hit-{listing.id}"' not in by_product
