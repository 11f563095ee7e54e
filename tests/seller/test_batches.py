"""Recording batches: the form built from the standard, validation kept and shown."""
from datetime import date

from sqlalchemy import func, select

from marketplace.catalog.models import Batch
from marketplace.extensions import db
from tests.support.factories_certification import PDF_BYTES
from tests.support.factories_catalog import image_bytes, upload


def batch_form(cooperative, **overrides):
    data = {
        "cooperative_id": str(cooperative.id), "county_code": "330106", "harvest_date": "2025-04-02",
        "variety": "龙井43", "grade": "premium", "quantity": "120.5", "unit": "kg",
        "lab_name": "浙江省茶叶质量检测中心", "lab_report_number": "ZJ-2025-0042",
        "measurement_moisture": "6.2",
    }
    data.update(overrides)
    return data


def batch_count() -> int:
    return db.session.scalar(select(func.count(Batch.id)))


def test_the_form_is_built_from_the_standard_with_units(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    chooser = client.get("/seller/batches/new").get_data(as_text=True)
    assert 'value="longjing-tea"' in chooser
    page = client.get("/seller/batches/new?product=duyun-maojian-tea").get_data(as_text=True)
    for key, label in (("moisture", "Moisture (%)"), ("water_extract", "Water extract (%)"),
                       ("total_ash", "Total ash (%)")):
        assert f'<label for="measurement_{key}">{label}</label>' in page
    assert "≤ 7.0 %" in page
    page = client.get("/seller/batches/new?product=wuyi-rock-tea").get_data(as_text=True)
    assert '<select aria-describedby="measurement_roast-errors"' in page or 'id="measurement_roast"' in page
    assert "足火" in page


def test_a_passing_batch_is_validated_and_its_report_kept(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    response = client.post("/seller/batches/new?product=longjing-tea", data=batch_form(world["cooperative"]))
    assert response.status_code == 302
    batch = db.session.scalar(select(Batch))
    assert batch.standard_slug == "longjing-tea" and batch.measurements == {"moisture": 6.2}
    assert batch.validation_passed and batch.validated_at is not None
    assert batch.validation["standard_slug"] == "longjing-tea"
    assert batch.standard_version is not None and batch.standard_version.code == "GB/T 18650-2008"
    assert str(batch.quantity) == "120.500" and batch.harvest_date == date(2025, 4, 2)


def test_findings_are_shown_one_by_one_in_both_languages_with_the_version(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    client.post("/seller/batches/new?product=longjing-tea",
                data=batch_form(world["cooperative"], measurement_moisture="7.5", county_code="230184"))
    batch = db.session.scalar(select(Batch))
    assert not batch.validation_passed
    english = client.get(f"/seller/batches/{batch.id}").get_data(as_text=True)
    assert "Does not meet the standard" in english
    assert "GB/T 18650-2008 · v1" in english
    assert "lies outside the protected area of Longjing tea" in english
    assert english.count('class="finding finding-') == len(batch.validation["findings"])
    assert 'data-rule="param.limit" data-field="measurements.moisture"' in english
    client.set_cookie("lang", "zh")
    chinese = client.get(f"/seller/batches/{batch.id}").get_data(as_text=True)
    assert "不在龙井茶地理标志产品保护范围内" in chinese
    assert "GB/T 18650-2008 · v1" in chinese


def test_a_lab_value_that_is_not_a_number_is_refused_on_its_field(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    response = client.post("/seller/batches/new?product=longjing-tea",
                           data=batch_form(world["cooperative"], measurement_moisture="about six"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="measurement_moisture-errors"' in page and "Enter a number" in page
    assert batch_count() == 0


def test_a_value_with_its_unit_and_full_width_digits_is_read(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    client.post("/seller/batches/new?product=longjing-tea",
                data=batch_form(world["cooperative"], measurement_moisture="６.１ %"))
    assert db.session.scalar(select(Batch.measurements)) == {"moisture": 6.1}


def test_bad_quantity_and_future_date_are_refused(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    for overrides, field in (({"quantity": "-3"}, "quantity"), ({"quantity": "abc"}, "quantity"),
                             ({"harvest_date": "2999-01-01"}, "harvest_date"),
                             ({"harvest_date": "yesterday"}, "harvest_date"),
                             ({"county_code": "999999"}, "county_code"), ({"grade": "legendary"}, "grade")):
        response = client.post("/seller/batches/new?product=longjing-tea",
                               data=batch_form(world["cooperative"], **overrides))
        assert response.status_code == 400, overrides
        assert f'id="{field}-errors"' in response.get_data(as_text=True), overrides
    assert batch_count() == 0


def test_editing_validates_again_and_keeps_the_product(client, login, seller_world, make_batch):
    world = seller_world()
    batch = make_batch(world["cooperative"])
    assert batch.validation_passed
    login(world["member"])
    form = client.get(f"/seller/batches/{batch.id}/edit").get_data(as_text=True)
    assert 'value="6.2"' in form
    response = client.post(f"/seller/batches/{batch.id}/edit",
                           data=batch_form(world["cooperative"], measurement_moisture="9"))
    assert response.status_code == 302
    db.session.refresh(batch)
    assert not batch.validation_passed and batch.measurements == {"moisture": 9.0}
    assert batch.standard_slug == "longjing-tea"


def test_lab_report_pdf_is_stored_outside_static_and_served_to_members(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    data = batch_form(world["cooperative"], lab_report=upload(PDF_BYTES, "report.PDF"))
    assert client.post("/seller/batches/new?product=longjing-tea", data=data,
                       content_type="multipart/form-data").status_code == 302
    batch = db.session.scalar(select(Batch))
    assert batch.lab_report_mime == "application/pdf" and batch.lab_report_original_name == "report.PDF"
    assert batch.lab_report_file.endswith(".pdf") and "report" not in batch.lab_report_file
    with client.get(f"/seller/batches/{batch.id}/lab-report") as response:
        assert response.status_code == 200 and response.data == PDF_BYTES
        assert response.mimetype == "application/pdf"
        assert "no-store" in response.headers["Cache-Control"]


def test_lab_report_image_is_checked_from_its_content(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    data = batch_form(world["cooperative"], lab_report=upload(image_bytes("PNG"), "scan.pdf"))
    client.post("/seller/batches/new?product=longjing-tea", data=data, content_type="multipart/form-data")
    assert db.session.scalar(select(Batch.lab_report_mime)) == "image/png"


def test_a_lab_report_that_is_neither_pdf_nor_image_is_refused(client, login, seller_world, app):
    world = seller_world()
    login(world["member"])
    for content, name in ((b"just some text, not a report", "report.pdf"),
                          (b"%PDF-1.4 but cut short", "cut.pdf"),
                          (b"MZ\x90\x00 an executable", "report.jpg")):
        data = batch_form(world["cooperative"], lab_report=upload(content, name))
        response = client.post("/seller/batches/new?product=longjing-tea", data=data,
                               content_type="multipart/form-data")
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert 'id="lab_report-errors"' in page and name in page
    assert batch_count() == 0


def test_a_lab_report_over_the_size_limit_is_refused(client, login, seller_world, app):
    app.config["LAB_REPORT_MAX_BYTES"] = 100 * 1024
    world = seller_world()
    login(world["member"])
    big = PDF_BYTES[:-6] + b" " * (150 * 1024) + b"%%EOF\n"
    data = batch_form(world["cooperative"], lab_report=upload(big, "big.pdf"))
    response = client.post("/seller/batches/new?product=longjing-tea", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "larger than 100 KB" in response.get_data(as_text=True)


def test_replacing_a_lab_report_removes_the_old_file(client, login, seller_world, app):
    from pathlib import Path

    world = seller_world()
    login(world["member"])
    client.post("/seller/batches/new?product=longjing-tea", content_type="multipart/form-data",
                data=batch_form(world["cooperative"], lab_report=upload(PDF_BYTES, "first.pdf")))
    batch = db.session.scalar(select(Batch))
    folder = Path(app.config["UPLOAD_FOLDER"]) / "lab-reports"
    first = folder / batch.lab_report_file
    assert first.is_file()
    client.post(f"/seller/batches/{batch.id}/edit", content_type="multipart/form-data",
                data=batch_form(world["cooperative"], lab_report=upload(image_bytes("PNG"), "second.png")))
    db.session.refresh(batch)
    assert not first.exists() and (folder / batch.lab_report_file).is_file()
    assert sorted(p.name for p in folder.iterdir()) == [batch.lab_report_file]


def test_a_refused_save_leaves_no_file_behind(client, login, seller_world, app):
    from pathlib import Path

    world = seller_world()
    login(world["member"])
    data = batch_form(world["cooperative"], county_code="999999", lab_report=upload(PDF_BYTES, "r.pdf"))
    client.post("/seller/batches/new?product=longjing-tea", data=data, content_type="multipart/form-data")
    folder = Path(app.config["UPLOAD_FOLDER"]) / "lab-reports"
    assert not folder.exists() or list(folder.iterdir()) == []
