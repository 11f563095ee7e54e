"""A protected GI name on a live listing needs a linked batch of that GI product."""
import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Listing, ListingStatus
from marketplace.extensions import db
from tests.seller.test_listings import listing_form


def listing_count() -> int:
    return db.session.scalar(select(func.count(Listing.id)))


@pytest.mark.parametrize("field,text,name", [
    ("title", "西湖龙井 明前特级 250g", "西湖龙井"),
    ("title", "龙井茶 250g", "龙井茶"),
    ("title", "Longjing tea, spring picking", "Longjing tea"),
    ("title", "LONG JING green tea", "LONG JING"),
    ("title", "West Lake Longjing", "West Lake Longjing"),
    ("title", "西 湖 龙 井", "西 湖 龙 井"),
    ("description", "Tastes like real 龙井 from the hills.", "龙井"),
    ("title", "五常大米 5 kg", "五常大米"),
    ("title", "Wuchang rice, new crop", "Wuchang rice"),
    ("title", "安溪铁观音 浓香型", "安溪铁观音"),
    ("title", "Anxi Tieguanyin oolong", "Anxi Tieguanyin"),
    ("description", "Sun-dried ningxia WOLFBERRY, big berries.", "ningxia WOLFBERRY"),
    ("title", "平谷大桃 礼盒", "平谷大桃"),
])
def test_a_protected_name_without_a_batch_cannot_go_live(client, login, seller_world, field, text, name):
    world = seller_world()
    login(world["member"])
    response = client.post("/seller/listings/new",
                           data=listing_form(world["cooperative"], status="active", **{field: text}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-errors"' in page
    assert f"“{name}” is a protected geographical-indication name" in page
    assert listing_count() == 0


def test_the_same_listing_may_be_saved_as_a_draft(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    response = client.post("/seller/listings/new", data=listing_form(world["cooperative"], title="西湖龙井 明前"))
    assert response.status_code == 302
    assert db.session.scalar(select(Listing.status)) == ListingStatus.DRAFT


def test_it_goes_live_when_linked_to_a_batch_of_that_product(client, login, seller_world, make_batch,
                                                            make_gi_authorization):
    world = seller_world()
    batch = make_batch(world["cooperative"])
    make_gi_authorization(world["cooperative"])
    login(world["member"])
    data = listing_form(world["cooperative"], status="active", title="West Lake Longjing 明前",
                        description="正宗西湖龙井", batch_id=str(batch.id))
    assert client.post("/seller/listings/new", data=data).status_code == 302
    assert db.session.scalar(select(Listing.status)) == ListingStatus.ACTIVE


def test_a_batch_of_another_gi_product_does_not_cover_the_name(client, login, seller_world, make_batch):
    world = seller_world()
    rice = make_batch(world["cooperative"], slug="wuchang-rice", county="230184", variety="稻花香2号",
                      grade=None, measurements={})
    login(world["member"])
    data = listing_form(world["cooperative"], status="active", title="龙井茶 特级", batch_id=str(rice.id))
    response = client.post("/seller/listings/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "but the linked batch is Wuchang rice" in page and 'id="title-errors"' in page
    assert listing_count() == 0


def test_publishing_from_the_list_applies_the_same_rule(client, login, seller_world, make_listing):
    world = seller_world()
    listing = make_listing(world["cooperative"], status="draft", title="Longjing tea from our hills")
    login(world["member"])
    response = client.post(f"/seller/listings/{listing.id}/status", data={"status": "active"},
                           follow_redirects=True)
    assert "is a protected geographical-indication name" in response.get_data(as_text=True)
    db.session.refresh(listing)
    assert listing.status == ListingStatus.DRAFT


def test_ordinary_words_are_not_mistaken_for_protected_names(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    for title in ("Green tea from Yunnan", "Belongjing biscuits", "Fragrant rice 5 kg", "五谷杂粮礼盒"):
        data = listing_form(world["cooperative"], status="active", title=title)
        assert client.post("/seller/listings/new", data=data).status_code == 302, title
    assert listing_count() == 4
