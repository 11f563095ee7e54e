"""Reporting a suspected counterfeit from the verify page: recorded, audited, read by supervisors."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.core.audit import AuditEntry
from marketplace.certification.models import CounterfeitReport
from marketplace.extensions import db


def reports() -> list[CounterfeitReport]:
    db.session.expire_all()
    return list(db.session.scalars(select(CounterfeitReport).order_by(CounterfeitReport.id)))


def test_the_verify_page_button_opens_the_form_with_the_code_filled_in(certified_world, client):
    page = client.get(f"/verify/{certified_world.code}").get_data(as_text=True)
    assert f'href="/verify/report?code={certified_world.code}"' in page
    form = client.get(f"/verify/report?code={certified_world.code}").get_data(as_text=True)
    assert 'id="counterfeit-form"' in form and f'value="{certified_world.code}"' in form


def test_a_report_is_recorded_linked_to_its_code_and_audited(certified_world, client):
    world = certified_world
    response = client.post("/verify/report", data={
        "code": world.code.lower(), "message": "Bought at a roadside stall in Shenzhen, the tin looks printed at home.",
        "contact": "138 0000 0000"})
    assert response.status_code == 200 and 'id="report-sent"' in response.get_data(as_text=True)
    [report] = reports()
    assert report.trace_code.certificate_id == world.certificate.id and report.contact == "138 0000 0000"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "counterfeit_report.filed"))
    assert entry.subject_id == str(report.id) and entry.county_code == "330106" and not entry.public


def test_a_code_no_label_carries_can_be_reported_too(client):
    """A fake label often carries an invented code: that is worth reporting most of all."""
    from marketplace.certification.services.trace_codes import display, new_code

    code = display(new_code())
    unknown = client.get(f"/verify/{code}")
    assert unknown.status_code == 404 and f'href="/verify/report?code={code}"' in unknown.get_data(as_text=True)
    client.post("/verify/report", data={"code": code, "message": "Label peels off, no such code."})
    [report] = reports()
    assert report.code_text == code and report.trace_code_id is None


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"code": "", "message": "Fake"}, "code", "Type the code printed on the package"),
    ({"code": "X" * 41, "message": "Fake"}, "code", "Keep it under 40 characters."),
    ({"code": "K7QM", "message": "  \x00 "}, "message", "Say what looks wrong"),
    ({"code": "K7QM", "message": "x" * 2001}, "message", "Keep it under 2000 characters."),
    ({"code": "K7QM", "message": "Fake", "contact": "y" * 121}, "contact", "Keep it under 120 characters."),
])
def test_bad_input_is_refused_on_its_field_and_records_nothing(client, data, field, message):
    response = client.post("/verify/report", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-errors"' in page and message in page
    assert reports() == []


def test_control_and_direction_characters_are_stripped(client):
    client.post("/verify/report", data={"code": "K7QM\u202e-2XHD", "message": "Fake\x07 tin\u202e",
                                        "contact": "\x1bwx123"})
    [report] = reports()
    assert report.code_text == "K7QM-2XHD" and report.message == "Fake tin" and report.contact == "wx123"


def test_the_form_needs_its_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/verify/report", data={"code": "K7QM", "message": "Fake"})
    assert response.status_code == 400 and reports() == []


def test_reports_are_rate_limited_per_address(app, client):
    app.config["VERIFY_REPORT_RATE_LIMIT"] = "2 per hour"
    for _ in range(2):
        assert client.post("/verify/report", data={"code": "K7QM", "message": "Fake"}).status_code == 200
    assert client.post("/verify/report", data={"code": "K7QM", "message": "Fake"}).status_code == 429
    assert len(reports()) == 2


def test_supervisors_read_the_reports_newest_first(certified_world, client, as_user, make_user):
    world = certified_world
    client.post("/verify/report", data={"code": "ZZZZ", "message": "First report"})
    client.post("/verify/report", data={"code": world.code, "message": "Second report", "contact": "wx:abc"})
    supervisor = as_user(make_user(supervisor=True))
    assert 'id="nav-counterfeit-reports"' in supervisor.get("/admin/").get_data(as_text=True)
    page = supervisor.get("/admin/counterfeit-reports/").get_data(as_text=True)
    assert page.index("Second report") < page.index("First report")
    assert world.certificate.number in page and "wx:abc" in page
    assert "No certificate carries this code" in page


@pytest.mark.parametrize("who", ["official", "seller", "shopper"])
def test_only_supervisors_read_the_reports(certified_world, as_user, make_user, who):
    user = {"official": certified_world.official, "seller": certified_world.seller, "shopper": make_user()}[who]
    assert as_user(user).get("/admin/counterfeit-reports/").status_code == 403


@pytest.mark.parametrize("page", ["0", "-3", "²", "9" * 40, "abc"])
def test_odd_page_numbers_never_break_the_list(as_user, make_user, page):
    supervisor = as_user(make_user(supervisor=True))
    assert supervisor.get(f"/admin/counterfeit-reports/?page={page}").status_code == 200
