"""Package codes: a net weight each, never more than the batch holds, "package N of M" on labels."""
from __future__ import annotations

import io

import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from marketplace.certification.models import TraceCode
from marketplace.certification.services.trace_codes import package_of
from marketplace.extensions import db


def _serials(client, batch_id: int, **data):
    return client.post(f"/seller/certification/batches/{batch_id}/serials",
                       data={key: str(value) for key, value in data.items()}, follow_redirects=True)


def _package_codes():
    db.session.expire_all()
    return db.session.scalars(select(TraceCode).where(TraceCode.serial > 0).order_by(TraceCode.serial)).all()


def test_package_codes_take_the_weight_of_the_listing_by_default(certified_world, as_user, make_listing):
    world = certified_world
    make_listing(world.cooperative, batch=world.batch, weight_grams=250, stock=10)
    client = as_user(world.seller)
    assert 'value="250"' in client.get(f"/seller/certification/batches/{world.batch.id}/labels").get_data(
        as_text=True)
    _serials(client, world.batch.id, count=3)
    assert [code.net_weight_grams for code in _package_codes()] == [250, 250, 250]


def test_without_a_listing_the_package_weight_must_be_given(certified_world, as_user):
    world = certified_world
    page = _serials(as_user(world.seller), world.batch.id, count=3).get_data(as_text=True)
    assert "net weight of one package" in page
    assert _package_codes() == []


def test_package_codes_never_weigh_more_than_the_batch(certified_world, as_user):
    """120 kg holds 240 packages of 500 g: the 241st code is refused, in one request or many."""
    world = certified_world
    client = as_user(world.seller)
    _serials(client, world.batch.id, count=200, net_weight_grams=500)
    page = _serials(client, world.batch.id, count=41, net_weight_grams=500).get_data(as_text=True)
    assert "at most 40 more codes" in page
    assert len(_package_codes()) == 200
    _serials(client, world.batch.id, count=40, net_weight_grams=500)
    assert "at most 0 more codes" in _serials(client, world.batch.id, count=1, net_weight_grams=1).get_data(
        as_text=True)
    assert db.session.scalar(select(func.sum(TraceCode.net_weight_grams))) == 120_000


def test_package_n_of_m_counts_packages_of_the_same_weight(certified_world, as_user, client):
    world = certified_world
    seller = as_user(world.seller)
    _serials(seller, world.batch.id, count=2, net_weight_grams=500)
    _serials(seller, world.batch.id, count=3, net_weight_grams=250)
    codes = _package_codes()
    assert [package_of(code) for code in codes] == [(1, 240), (2, 240), (1, 480), (2, 480), (3, 480)]
    assert package_of(codes[4].code) == (3, 480)
    batch_code = db.session.scalar(select(TraceCode).where(TraceCode.serial == 0))
    assert package_of(batch_code) is None
    page = client.get(f"/verify/{codes[3].display}").get_data(as_text=True)
    assert 'id="package-of"' in page and "Package 2 of 480" in page
    sheet = seller.get(f"/seller/certification/batches/{world.batch.id}/labels?copies=0").get_data(as_text=True)
    assert "Package 1 of 240" in sheet and "Package 3 of 480" in sheet
    chinese = seller.get(f"/seller/certification/batches/{world.batch.id}/labels?copies=0",
                         headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "第 3 件 / 共 480 件" in chinese


def test_labels_carry_the_chinese_name_and_the_public_address(certified_world, as_user, app):
    app.config["PUBLIC_URL"] = "https://terroir.example.cn"
    world = certified_world
    client = as_user(world.seller)
    _serials(client, world.batch.id, count=1, net_weight_grams=500)
    page = client.get(f"/seller/certification/batches/{world.batch.id}/labels").get_data(as_text=True)
    assert '<strong lang="zh">龙井茶</strong>' in page and "terroir.example.cn/verify" in page
    png = client.get(f"/seller/certification/batches/{world.batch.id}/labels", query_string={"format": "png"})
    image = Image.open(io.BytesIO(png.data)).convert("L")
    found = sorted(result.text for result in zxingcpp.read_barcodes(image))
    codes = sorted(f"https://terroir.example.cn/verify/{code.display}"
                   for code in db.session.scalars(select(TraceCode)))
    assert found == codes  # every QR code on the page reads back to its verify URL
