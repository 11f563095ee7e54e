"""Package labels per size: the seller chooses the size, each label carries its name and weight."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from marketplace.catalog.models import ListingVariant, summarise
from marketplace.certification.models import TraceCode
from marketplace.extensions import db


def _serials(client, batch_id: int, **data):
    return client.post(f"/seller/certification/batches/{batch_id}/serials",
                       data={key: str(value) for key, value in data.items()}, follow_redirects=True)


def _sheet(client, batch_id: int, **query):
    return client.get(f"/seller/certification/batches/{batch_id}/labels", query_string=query)


def _package_codes():
    db.session.expire_all()
    return db.session.scalars(select(TraceCode).where(TraceCode.serial > 0).order_by(TraceCode.serial)).all()


def _add_size(listing, label: str, weight_grams: int, stock: int = 5) -> ListingVariant:
    variant = ListingVariant(label=label, price_minor=19800, stock=stock, weight_grams=weight_grams,
                             position=len(listing.variants), units_sold=0)
    listing.variants.append(variant)
    summarise(listing)
    db.session.commit()
    return variant


@pytest.fixture
def sized(certified_world, make_listing):
    """The certified batch sold in two sizes: a 250 g box (listed first) and a 1 kg gift box."""
    world = certified_world
    world.listing = make_listing(world.cooperative, batch=world.batch, weight_grams=250, stock=10,
                                 unit="250 g 罐")
    world.box = world.listing.variants[0]
    world.gift = _add_size(world.listing, "1 kg 礼盒", 1000)
    return world


def test_package_codes_take_the_chosen_size_and_its_weight(sized, as_user):
    client = as_user(sized.seller)
    page = _serials(client, sized.batch.id, count=2, variant_id=sized.gift.id).get_data(as_text=True)
    assert "2 package codes were added" in page
    codes = _package_codes()
    assert [(c.net_weight_grams, c.variant_id, c.size_label) for c in codes] == [(1000, sized.gift.id, "1 kg 礼盒")] * 2
    _serials(client, sized.batch.id, count=3, variant_id=sized.box.id)
    assert [c.net_weight_grams for c in _package_codes()] == [1000, 1000, 250, 250, 250]
    sheet = _sheet(client, sized.batch.id, copies=0).get_data(as_text=True)
    assert sheet.count('class="package-size">1 kg 礼盒 · Net weight 1000 g<') == 2
    assert sheet.count('class="package-size">250 g 罐 · Net weight 250 g<') == 3
    assert "Package 2 of 120" in sheet and "Package 3 of 480" in sheet
    verify = as_user(None).get(f"/verify/{codes[1].display}").get_data(as_text=True)
    assert "Package 2 of 120 · " in verify and '<span class="package-size">1 kg 礼盒</span>' in verify


def test_the_sheet_of_one_size_holds_only_its_codes_on_every_format(sized, as_user):
    client = as_user(sized.seller)
    _serials(client, sized.batch.id, count=2, variant_id=sized.gift.id)
    _serials(client, sized.batch.id, count=3, variant_id=sized.box.id)
    gift_codes = [c for c in _package_codes() if c.variant_id == sized.gift.id]
    page = _sheet(client, sized.batch.id, size=sized.gift.id, copies=1).get_data(as_text=True)
    assert page.count('class="package-size">') == 2 and "250 g 罐 · Net weight" not in page
    png = _sheet(client, sized.batch.id, size=sized.gift.id, copies=1, format="png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    found = sorted(r.text.rsplit("/", 1)[-1] for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data))))
    assert found == sorted([sized.code, *(code.display for code in gift_codes)])
    pdf = _sheet(client, sized.batch.id, size=sized.gift.id, format="pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_batch_sold_in_several_sizes_asks_which_size(sized, as_user):
    client = as_user(sized.seller)
    form = _sheet(client, sized.batch.id).get_data(as_text=True)
    assert 'name="net_weight_grams" type="number" value="250"' not in form and 'value="250"' not in form
    assert f'<option value="{sized.gift.id}">1 kg 礼盒 (1000 g)' in form
    page = _serials(client, sized.batch.id, count=3).get_data(as_text=True)
    assert "choose the size these package codes go on" in page
    assert _package_codes() == []


def test_a_typed_weight_other_than_the_sizes_is_refused(sized, as_user):
    page = _serials(as_user(sized.seller), sized.batch.id, count=1, variant_id=sized.gift.id,
                    net_weight_grams=250).get_data(as_text=True)
    assert "weighs 1000 g" in page and _package_codes() == []


def test_a_size_of_another_listing_or_cooperative_is_never_printed(sized, as_user, make_listing, make_cooperative,
                                                                    make_user):
    client = as_user(sized.seller)
    unlinked = make_listing(sized.cooperative, batch=None, weight_grams=2000, unit="2 kg 礼盒").variants[0]
    outsider = make_user()
    stranger = make_cooperative(outsider)
    foreign = make_listing(stranger, weight_grams=50, unit="50 g 礼盒").variants[0]
    retired = _add_size(sized.listing, "5 kg 袋", 5000, stock=0)
    retired.retired_at = retired.created_at
    db.session.commit()
    for variant in (unlinked, foreign, retired):
        page = _serials(client, sized.batch.id, count=1, variant_id=variant.id).get_data(as_text=True)
        assert "This size is not one of this batch&#39;s listings." in page
        assert _sheet(client, sized.batch.id, size=variant.id).status_code == (200 if variant is retired else 404)
    assert _package_codes() == []
    for bad in ("abc", "-1", "0", "99999999"):
        assert _sheet(client, sized.batch.id, size=bad).status_code == 404
        page = _serials(client, sized.batch.id, count=1, variant_id=bad).get_data(as_text=True)
        assert "Size these packages are sold as" in page or "not one of this batch" in page
    assert _package_codes() == []
    # Another cooperative's member cannot print this batch's sizes at all.
    assert _sheet(as_user(outsider), sized.batch.id, size=sized.gift.id).status_code == 403


def test_the_only_size_is_taken_without_asking(certified_world, as_user, make_listing):
    world = certified_world
    listing = make_listing(world.cooperative, batch=world.batch, weight_grams=500, stock=10, unit="500 g 礼盒")
    _serials(as_user(world.seller), world.batch.id, count=2)
    assert [(c.net_weight_grams, c.variant_id, c.size_label) for c in _package_codes()] == [
        (500, listing.variants[0].id, "500 g 礼盒")] * 2
