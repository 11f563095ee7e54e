"""The batch form offers the counties of the product's area provinces, not all of China."""
from sqlalchemy import select

from marketplace.catalog.models import Batch
from marketplace.extensions import db
from tests.seller.test_batches import batch_form


def test_batch_form_lists_the_area_provinces_and_still_takes_any_county(client, login, seller_world, make_county):
    world = seller_world()
    make_county("110117")  # 平谷区, Beijing: far from the Longjing area
    make_county("330110")  # 余杭区, Zhejiang
    login(world["member"])

    page = client.get("/seller/batches/new?product=longjing-tea").get_data(as_text=True)
    assert 'value="330106"' in page and 'value="330110"' in page
    assert 'value="110117"' not in page

    # A county outside the list is still declared, and judged by the standard, not refused as a choice.
    client.post("/seller/batches/new?product=longjing-tea",
                data=batch_form(world["cooperative"], county_code="110117"))
    batch = db.session.scalar(select(Batch))
    assert batch is not None and batch.county_code == "110117" and not batch.validation_passed
