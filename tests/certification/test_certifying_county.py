"""Batches are decided where the cooperative is registered, from its declared production sites only."""
from __future__ import annotations

import io

from sqlalchemy import select

from marketplace.certification.models import BatchCertificate, CertificateStatus, GIAuthorization
from marketplace.extensions import db
from tests.support.factories_certification import PDF_BYTES, png_bytes, review_form


def _certificates():
    db.session.expire_all()
    return list(db.session.scalars(select(BatchCertificate)))


def test_a_batch_from_a_county_outside_the_production_sites_is_refused_at_submission(
        gi_world, make_gi_batch, make_user, as_user, outbox):
    """萧山区 is inside the Longjing area, but not where this 西湖区 cooperative declared it produces."""
    world = gi_world()
    neighbour = make_user(name="Official Xiaoshan", official_of=("330109",))
    batch = make_gi_batch(world.cooperative, county="330109")
    response = as_user(world.seller).post(f"/seller/certification/batches/{batch.id}/submit",
                                          follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "This batch comes from County 330109" in page and "not a production site" in page
    assert _certificates() == []
    assert f"Batch #{batch.id}" not in as_user(neighbour).get("/official/").get_data(as_text=True)
    assert outbox() == []


def test_the_cooperatives_county_official_decides_a_batch_from_another_declared_site(
        make_user, make_cooperative, make_gi_authorization, make_gi_batch, as_user):
    seller = make_user(name="Seller")
    cooperative = make_cooperative(seller, county="330106")
    xihu = make_user(name="Official Xihu", official_of=("330106",))
    neighbour = make_user(name="Official Xiaoshan", official_of=("330109",))
    make_gi_authorization(cooperative, sites=["330106", "330109"])
    batch = make_gi_batch(cooperative, county="330109")
    assert as_user(seller).post(f"/seller/certification/batches/{batch.id}/submit").status_code == 302
    [certificate] = _certificates()
    assert certificate.county_code == "330106"  # where the cooperative is registered
    # The official of the county the seller named as origin cannot decide, nor see it queued.
    assert f"Batch #{batch.id}" not in as_user(neighbour).get("/official/").get_data(as_text=True)
    assert as_user(neighbour).post(f"/official/certificates/{certificate.id}/certify",
                                   data=review_form(batch)).status_code == 403
    assert _certificates()[0].status == CertificateStatus.SUBMITTED
    assert f"Batch #{batch.id}" in as_user(xihu).get("/official/").get_data(as_text=True)
    assert as_user(xihu).post(f"/official/certificates/{certificate.id}/certify",
                              data=review_form(batch)).status_code == 302
    assert _certificates()[0].status == CertificateStatus.CERTIFIED


def test_a_request_queued_in_the_origin_county_is_not_certified_there(
        gi_world, make_gi_batch, make_batch_certificate, make_user, as_user):
    """Sent before the rule, it waits in the queue of the county the seller named: its
    official cannot certify it, since the origin is no production site of the cooperative."""
    world = gi_world()
    neighbour = make_user(name="Official Xiaoshan", official_of=("330109",))
    batch = make_gi_batch(world.cooperative, county="330109")
    certificate = make_batch_certificate(batch, status="submitted")  # county 330109, as before
    response = as_user(neighbour).post(f"/official/certificates/{certificate.id}/certify",
                                       data=review_form(batch))
    assert response.status_code == 400 and "not a production site" in response.get_data(as_text=True)
    assert _certificates()[0].status == CertificateStatus.SUBMITTED


def _apply(client, cooperative, sites):
    data = {"cooperative_id": str(cooperative.id), "standard_slug": "longjing-tea", "statement": "Tea.",
            "production_sites": sites,
            "origin_report": (io.BytesIO(PDF_BYTES), "origin.pdf"),
            "application_form": (io.BytesIO(png_bytes()), "form.png")}
    return client.post("/seller/certification/apply", data=data, content_type="multipart/form-data")


def test_an_application_declares_its_production_sites_inside_the_protected_area(
        make_user, make_cooperative, make_county, as_user):
    seller = make_user()
    cooperative = make_cooperative(seller, county="330106")
    for code in ("330109", "230184"):
        make_county(code)
    client = as_user(seller)
    response = _apply(client, cooperative, ["330106", "230184"])  # 五常 is no Longjing county
    assert response.status_code == 400
    assert 'id="production_sites-errors"' in response.get_data(as_text=True)
    assert "outside the protected area" in response.get_data(as_text=True)
    assert db.session.scalar(select(GIAuthorization)) is None
    assert _apply(client, cooperative, ["330106", "330109"]).status_code == 302
    authorization = db.session.scalar(select(GIAuthorization))
    assert authorization.production_sites == ["330106", "330109"]
    page = client.get(f"/seller/certification/authorizations/{authorization.id}").get_data(as_text=True)
    assert "County 330109" in page and 'id="production-sites"' in page


def test_an_application_without_sites_declares_the_cooperatives_county(
        make_user, make_cooperative, as_user):
    seller = make_user()
    cooperative = make_cooperative(seller, county="330106")
    assert _apply(as_user(seller), cooperative, []).status_code == 302
    assert db.session.scalar(select(GIAuthorization)).production_sites == ["330106"]
