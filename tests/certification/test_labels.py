"""Label sheets: QR codes holding the verify URL, numbered package codes, PDF and PNG."""
from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from marketplace.certification.models import TraceCode
from marketplace.extensions import db


def test_label_sheet_holds_a_qr_code_of_the_absolute_verify_url(certified_world, as_user):
    world = certified_world
    response = as_user(world.seller).get(f"/seller/certification/batches/{world.batch.id}/labels?copies=3")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count(f"QR code for {world.code}") == 3
    assert "data:image/svg+xml" in page and world.certificate.number in page
    # Nothing inline: the only script is the site's own file (tables on phones).
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/tables.js" defer>']
    assert 'style="' not in page


def test_no_copies_of_the_batch_label_means_none_and_a_bad_count_is_refused(certified_world, as_user):
    seller = as_user(certified_world.seller)
    url = f"/seller/certification/batches/{certified_world.batch.id}/labels"
    none = seller.get(f"{url}?copies=0").get_data(as_text=True)
    assert f"QR code for {certified_world.code}" not in none and 'value="0"' in none
    too_many = seller.get(f"{url}?copies=100000", follow_redirects=True).get_data(as_text=True)
    assert "Enter a number of copies from 0 to" in too_many
    assert seller.get(f"{url}?copies=-1").get_data(as_text=True).count(f"QR code for {certified_world.code}") == 1


def test_each_label_encodes_the_absolute_url_of_its_verify_page(certified_world, app):
    from marketplace.certification.services import labels
    from marketplace.core.urls import external_url

    app.config["PUBLIC_URL"] = "https://terroir.example"
    with app.test_request_context():
        sheet = labels.label_sheet(
            certified_world.seller, certified_world.batch.id, copies=1, include_serials=True,
            verify_url=lambda code: external_url("certification_public.verify_code", code=code), language="en")
        [label] = sheet.labels
        assert label.url == f"https://terroir.example/verify/{certified_world.code}"
        assert label.qr_svg_data_uri.startswith("data:image/svg+xml")


def test_package_codes_are_numbered_each_its_own_trace_code(certified_world, as_user):
    world = certified_world
    client = as_user(world.seller)
    assert client.post(f"/seller/certification/batches/{world.batch.id}/serials",
                       data={"count": "4", "net_weight_grams": "500"}).status_code == 302
    client.post(f"/seller/certification/batches/{world.batch.id}/serials", data={"count": "2", "net_weight_grams": "500"})
    codes = db.session.scalars(select(TraceCode).order_by(TraceCode.serial)).all()
    assert [c.serial for c in codes] == [0, 1, 2, 3, 4, 5, 6]
    assert len({c.code for c in codes}) == 7 and all(c.batch_id == world.batch.id for c in codes)
    page = client.get(f"/seller/certification/batches/{world.batch.id}/labels").get_data(as_text=True)
    assert "Package 6 of 240" in page  # 120 kg in packages of 500 g
    for bad in ("0", "-3", "abc", "999999"):
        client.post(f"/seller/certification/batches/{world.batch.id}/serials", data={"count": bad})
    assert db.session.scalar(select(db.func.count()).select_from(TraceCode)) == 7


def test_a_package_code_opens_the_verify_page_of_its_batch(certified_world, as_user, client):
    world = certified_world
    as_user(world.seller).post(f"/seller/certification/batches/{world.batch.id}/serials",
                               data={"count": "1", "net_weight_grams": "500"})
    serial = db.session.scalar(select(TraceCode).where(TraceCode.serial == 1))
    page = client.get(f"/verify/{serial.display}").get_data(as_text=True)
    assert world.certificate.number in page and "Package 1 of 240" in page


def test_label_sheet_downloads_as_pdf_and_png(certified_world, as_user):
    world = certified_world
    client = as_user(world.seller)
    url = f"/seller/certification/batches/{world.batch.id}/labels"
    pdf = client.get(url, query_string={"format": "pdf", "copies": 30})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF") and pdf.data.count(b"/Type /Page\n") + pdf.data.count(b"/Type /Page ") >= 1
    png = client.get(url, query_string={"format": "png"})
    assert png.status_code == 200 and png.mimetype == "image/png"
    image = Image.open(io.BytesIO(png.data))
    assert image.size == (1240, 1754)


def test_no_labels_for_a_revoked_certificate(certified_world, as_user):
    world = certified_world
    as_user(world.official).post(f"/official/certificates/{world.certificate.id}/revoke",
                                 data={"revoke-reason": "Residue found."})
    client = as_user(world.seller)
    response = client.get(f"/seller/certification/batches/{world.batch.id}/labels", follow_redirects=True)
    assert "only while the certificate is valid" in response.get_data(as_text=True)
    client.post(f"/seller/certification/batches/{world.batch.id}/serials", data={"count": "3"})
    assert db.session.scalar(select(db.func.count()).select_from(TraceCode)) == 1


def test_label_sheet_in_chinese(certified_world, as_user):
    world = certified_world
    client = as_user(world.seller)
    client.set_cookie("lang", "zh")
    page = client.get(f"/seller/certification/batches/{world.batch.id}/labels").get_data(as_text=True)
    assert "龙井茶" in page and world.code in page


