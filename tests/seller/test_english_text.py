"""The seller's optional English title and description: saved cleaned, held to the name rules."""
from sqlalchemy import select

from marketplace.catalog.models import Listing
from marketplace.extensions import db
from tests.seller.test_listings import listing_count, listing_form


def test_the_english_title_and_description_are_saved_cleaned(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    response = client.post("/seller/listings/new", data=listing_form(
        world["cooperative"], title_en="  Spring\x00 green\ttea  ", description_en="<script>x</script> **Hand** picked"))
    assert response.status_code == 302
    listing = db.session.scalar(select(Listing))
    assert listing.title_en == "Spring green tea"
    assert "\x00" not in listing.description_en
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "<script>x</script>" not in page and "<strong>Hand</strong>" in page
    edit = client.get(f"/seller/listings/{listing.id}/edit").get_data(as_text=True)
    assert 'value="Spring green tea"' in edit


def test_an_empty_english_title_is_none_and_a_long_one_refused_on_its_field(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    response = client.post("/seller/listings/new", data=listing_form(world["cooperative"], title_en="x" * 121))
    assert response.status_code == 400 and 'id="title_en-errors"' in response.get_data(as_text=True)
    assert listing_count() == 0
    assert client.post("/seller/listings/new", data=listing_form(world["cooperative"], title_en=" ")).status_code == 302
    assert db.session.scalar(select(Listing.title_en)) is None


def test_a_protected_name_in_the_english_title_needs_its_batch_to_go_live(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    response = client.post("/seller/listings/new", data=listing_form(
        world["cooperative"], status="active", title_en="West Lake Longjing 西湖龙井"))
    assert response.status_code == 400
    assert listing_count() == 0
