"""Certifying is a review: the lab report on file and read, every finding to check answered."""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.certification.models import BatchCertificate, CertificateStatus, TraceCode
from marketplace.certification.services.review import to_check
from marketplace.extensions import db
from tests.support.factories_certification import review_form


def _status(certificate_id: int) -> CertificateStatus:
    db.session.expire_all()
    return db.session.get(BatchCertificate, certificate_id).status


def _errors(response, field: str) -> str:
    from tests.catalog.test_mass_balance import field_errors

    return field_errors(response, field)


def test_one_click_no_longer_certifies(gi_world, make_batch_certificate, as_user):
    world = gi_world()
    certificate = make_batch_certificate(world.batch, status="submitted")
    response = as_user(world.official).post(f"/official/certificates/{certificate.id}/certify")
    assert response.status_code == 400
    assert "read the lab report" in _errors(response, "certify-lab_report_read")
    assert _status(certificate.id) == CertificateStatus.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(TraceCode)) == 0


def test_a_batch_without_its_lab_report_document_cannot_be_sent_nor_certified(
        gi_world, make_gi_batch, make_batch_certificate, as_user):
    world = gi_world()
    batch = make_gi_batch(world.cooperative, lab_report=False)
    page = as_user(world.seller).post(f"/seller/certification/batches/{batch.id}/submit", follow_redirects=True)
    assert "no lab report document" in page.get_data(as_text=True)
    assert db.session.scalar(select(BatchCertificate).where(BatchCertificate.batch_id == batch.id)) is None
    # Even one that reached the queue (sent before the rule) is refused at certification.
    certificate = make_batch_certificate(batch, status="submitted")
    official = as_user(world.official)
    assert 'id="no-lab-report"' in official.get(f"/official/certificates/{certificate.id}").get_data(as_text=True)
    response = official.post(f"/official/certificates/{certificate.id}/certify", data=review_form(batch))
    assert response.status_code == 400 and "no lab report document" in response.get_data(as_text=True)
    assert _status(certificate.id) == CertificateStatus.SUBMITTED


def _partial_area_world(make_user, make_cooperative, make_gi_authorization, make_gi_batch, as_user):
    """A batch from 钱塘区, only partly inside the Longjing area: the origin is left to the official."""
    seller = make_user(name="Seller")
    cooperative = make_cooperative(seller, county="330106")
    official = make_user(name="Official Xihu", official_of=("330106",))
    make_gi_authorization(cooperative, sites=["330106", "330114"])
    batch = make_gi_batch(cooperative, county="330114")
    assert as_user(seller).post(f"/seller/certification/batches/{batch.id}/submit").status_code == 302
    return official, batch, db.session.scalar(select(BatchCertificate))


def test_every_finding_to_check_needs_an_answer_and_a_note(
        make_user, make_cooperative, make_gi_authorization, make_gi_batch, as_user, client):
    official, batch, certificate = _partial_area_world(
        make_user, make_cooperative, make_gi_authorization, make_gi_batch, as_user)
    items = to_check(batch.validation)
    assert [item.key for item in items] == ["origin.area:county_code", "grade.meets:grade"]
    reviewer = as_user(official)
    page = reviewer.get(f"/official/certificates/{certificate.id}").get_data(as_text=True)
    assert page.count('class="to-check"') == 2 and "330114" in page
    url = f"/official/certificates/{certificate.id}/certify"

    unanswered = review_form(batch)
    del unanswered["certify-check_0_answer"]
    response = reviewer.post(url, data=unanswered)
    assert response.status_code == 400 and "Answer this finding" in _errors(response, "certify-check_0_answer")

    no_note = review_form(batch)
    no_note["certify-check_1_note"] = "  "
    response = reviewer.post(url, data=no_note)
    assert response.status_code == 400 and "in a note" in _errors(response, "certify-check_1_note")

    not_in_order = review_form(batch)
    not_in_order["certify-check_0_answer"] = "not_ok"
    response = reviewer.post(url, data=not_in_order)
    assert response.status_code == 400 and "reject the batch" in _errors(response, "certify-check_0_answer")
    assert _status(certificate.id) == CertificateStatus.SUBMITTED

    answered = review_form(batch, note="Township 龙坞 confirmed inside the area on the map.")
    assert reviewer.post(url, data=answered).status_code == 302
    db.session.expire_all()
    certified = db.session.get(BatchCertificate, certificate.id)
    assert certified.status == CertificateStatus.CERTIFIED
    assert [(c["key"], c["answer"]) for c in certified.review["checks"]] == [
        ("origin.area:county_code", "ok"), ("grade.meets:grade", "ok")]
    assert certified.review["lab_report"]["read"] is True

    # The verify page shows what the official checked.
    code = db.session.scalar(select(TraceCode).where(TraceCode.certificate_id == certificate.id))
    verify = client.get(f"/verify/{code.display}").get_data(as_text=True)
    assert 'id="verify-review"' in verify and "Township 龙坞 confirmed" in verify
    assert "Only some townships of Qiantang District" in verify
