"""The product type on the batch form: where the standard gives grades by type, say which.

安溪铁观音 has three types (清香型, 浓香型, 陈香型) and its 四级 exists for 浓香型 only. A
cooperative must declare the type; a grade claimed for another type is refused by the
engine on the grade field; a type the standard does not define never reaches it.
"""
import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Batch
from marketplace.extensions import db

ANXI = "/seller/batches/new?product=anxi-tieguanyin"


@pytest.fixture
def anxi_member(make_user, make_cooperative, login):
    member = make_user(name="Anxi member")
    cooperative = make_cooperative(member, county="350524", name="安溪茶农合作社")
    login(member)
    return member, cooperative


def anxi_form(cooperative, **overrides):
    data = {"cooperative_id": str(cooperative.id), "county_code": "350524", "harvest_date": "2025-05-12",
            "variety": "铁观音", "product_type": "浓香型", "grade": "grade-4", "quantity": "80", "unit": "kg",
            "lab_name": "福建省茶叶质量检测中心", "lab_report_number": "FJ-2025-0007"}
    data.update(overrides)
    return data


def saved_batch():
    db.session.rollback()
    return db.session.scalar(select(Batch).order_by(Batch.id.desc()).limit(1))


def findings(batch, rule):
    return [f for f in batch.validation["findings"] if f["rule"] == rule]


def test_the_form_asks_for_the_type_only_where_the_standard_has_types(client, anxi_member):
    page = client.get(ANXI).get_data(as_text=True)
    assert 'name="product_type"' in page
    assert all(f'value="{t}"' in page for t in ("清香型", "浓香型", "陈香型"))
    assert 'name="product_type"' not in client.get("/seller/batches/new?product=longjing-tea").get_data(as_text=True)


def test_a_grade_of_the_declared_type_passes_and_the_type_is_kept(client, anxi_member):
    _member, cooperative = anxi_member
    response = client.post(ANXI, data=anxi_form(cooperative))
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    batch = saved_batch()
    assert batch.product_type == "浓香型" and batch.validation_passed
    assert findings(batch, "type.allowed")[0]["passed"] and findings(batch, "grade.allowed")[0]["passed"]
    assert "浓香型" in client.get(f"/seller/batches/{batch.id}").get_data(as_text=True)


def test_a_grade_allowed_only_for_another_type_is_refused_naming_the_grade(client, anxi_member):
    _member, cooperative = anxi_member
    assert client.post(ANXI, data=anxi_form(cooperative, product_type="清香型")).status_code == 302
    batch = saved_batch()
    assert not batch.validation_passed and batch.best_grade != "grade-4"
    [finding] = findings(batch, "grade.allowed")
    assert (finding["field"], finding["passed"], finding["severity"]) == ("grade", False, "error")
    assert "浓香型" in finding["message_zh"] and "清香型" in finding["message_en"]
    page = client.get(f"/seller/batches/{batch.id}").get_data(as_text=True)
    assert 'data-rule="grade.allowed" data-field="grade"' in page


def test_the_type_is_required_where_the_standard_has_types(client, anxi_member):
    _member, cooperative = anxi_member
    response = client.post(ANXI, data=anxi_form(cooperative, product_type=""))
    assert response.status_code == 400
    assert 'id="product_type-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Batch.id))) == 0


def test_a_type_the_standard_does_not_define_is_refused_on_its_field(client, anxi_member):
    _member, cooperative = anxi_member
    response = client.post(ANXI, data=anxi_form(cooperative, product_type="红茶"))
    assert response.status_code == 400
    assert 'id="product_type-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Batch.id))) == 0


def test_a_type_posted_for_a_standard_without_types_is_ignored(client, login, seller_world):
    world = seller_world()
    login(world["member"])
    data = {"cooperative_id": str(world["cooperative"].id), "county_code": "330106", "harvest_date": "2025-04-02",
            "variety": "龙井43", "grade": "premium", "quantity": "12", "unit": "kg",
            "measurement_moisture": "6.2", "product_type": "浓香型"}
    assert client.post("/seller/batches/new?product=longjing-tea", data=data).status_code == 302
    batch = saved_batch()
    assert batch.product_type is None and batch.validation_passed


def test_the_engine_refuses_a_batch_of_a_typed_standard_that_declares_no_type(app, anxi_member):
    """A batch recorded without the form (another client of the service) still needs its type."""
    from datetime import date

    from marketplace.catalog import services

    member, cooperative = anxi_member
    details = services.BatchDetails(county_code="350524", harvest_date=date(2025, 5, 12), quantity="10",
                                    unit="kg", variety="铁观音", grade="grade-1")
    with app.test_request_context():
        batch = services.record_batch(member, cooperative.id, "anxi-tieguanyin", details)
    batch = saved_batch()
    assert not batch.validation_passed
    [finding] = findings(batch, "type.allowed")
    assert (finding["field"], finding["passed"]) == ("product_type", False)
    assert "清香型、浓香型、陈香型" in finding["message_zh"]
