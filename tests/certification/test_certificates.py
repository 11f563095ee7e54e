"""Batch certification: sending a batch, certifying, rejecting, and the rules that hold."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.core.audit import AuditEntry
from marketplace.certification.models import BatchCertificate, CertificateStatus, TraceCode
from marketplace.extensions import db
from marketplace.core.timeutil import as_utc
from tests.support.factories_certification import review_form


def certificates():
    db.session.expire_all()
    return list(db.session.scalars(select(BatchCertificate)))


def test_seller_sends_a_passing_batch_and_it_reaches_only_its_county_officials(
        gi_world, as_user, make_user, outbox):
    world = gi_world()
    elsewhere = make_user(official_of=("230184",))
    response = as_user(world.seller).post(f"/seller/certification/batches/{world.batch.id}/submit")
    assert response.status_code == 302
    [certificate] = certificates()
    assert certificate.status == CertificateStatus.SUBMITTED and certificate.county_code == "330106"
    assert [m["To"] for m in outbox()] == [world.official.email]
    assert f"Batch #{world.batch.id}" in as_user(world.official).get("/official/").get_data(as_text=True)
    assert f"Batch #{world.batch.id}" not in as_user(elsewhere).get("/official/").get_data(as_text=True)


def test_a_failing_batch_cannot_be_sent_nor_certified(gi_world, as_user, make_batch_certificate):
    world = gi_world(passing=False)
    response = as_user(world.seller).post(f"/seller/certification/batches/{world.batch.id}/submit",
                                          follow_redirects=True)
    assert "did not pass validation" in response.get_data(as_text=True)
    assert certificates() == []
    # Even a request that reached the queue (say, before a catalogue revision) is refused.
    certificate = make_batch_certificate(world.batch, status="submitted")
    response = as_user(world.official).post(f"/official/certificates/{certificate.id}/certify",
                                            data=review_form(world.batch))
    assert response.status_code == 400
    assert "cannot be certified" in response.get_data(as_text=True)
    assert certificates()[0].status == CertificateStatus.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(TraceCode)) == 0


def test_a_batch_without_a_valid_authorization_cannot_be_sent(gi_world, as_user):
    world = gi_world(authorized=False)
    response = as_user(world.seller).post(f"/seller/certification/batches/{world.batch.id}/submit",
                                          follow_redirects=True)
    assert "no valid authorization" in response.get_data(as_text=True)
    assert certificates() == []


def test_certifying_gives_a_number_a_validity_and_a_trace_code(
        gi_world, as_user, make_batch_certificate, outbox, app):
    world = gi_world()
    certificate = make_batch_certificate(world.batch, status="submitted")
    response = as_user(world.official).post(f"/official/certificates/{certificate.id}/certify",
                                            data=review_form(world.batch))
    assert response.status_code == 302
    [certified] = certificates()
    assert certified.status == CertificateStatus.CERTIFIED
    assert certified.number.startswith("CERT-330106-")
    span = as_utc(certified.valid_until) - as_utc(certified.valid_from)
    assert span == timedelta(days=app.config["CERTIFICATE_VALIDITY_DAYS"])
    [code] = db.session.scalars(select(TraceCode)).all()
    assert code.serial == 0 and len(code.code) == 12 and code.batch_id == world.batch.id
    assert code.display in outbox()[0].get_content()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.certified"))
    assert entry.subject_type == "batch" and entry.subject_id == str(world.batch.id)
    assert entry.public and entry.standard_version == "GB/T 18650-2008 · v1"


def test_rejecting_a_batch_needs_a_reason_and_the_seller_may_send_it_again(
        gi_world, as_user, make_batch_certificate):
    world = gi_world()
    certificate = make_batch_certificate(world.batch, status="submitted")
    official = as_user(world.official)
    response = official.post(f"/official/certificates/{certificate.id}/reject", data={"reject-reason": ""})
    assert response.status_code == 400 and 'id="reject-reason-errors"' in response.get_data(as_text=True)
    assert certificates()[0].status == CertificateStatus.SUBMITTED
    official.post(f"/official/certificates/{certificate.id}/reject", data={"reject-reason": "Sample too small."})
    assert certificates()[0].status == CertificateStatus.REJECTED
    as_user(world.seller).post(f"/seller/certification/batches/{world.batch.id}/submit")
    assert certificates()[0].status == CertificateStatus.SUBMITTED


def test_revoking_a_certificate_needs_a_reason(certified_world, as_user):
    world = certified_world
    client = as_user(world.official)
    url = f"/official/certificates/{world.certificate.id}/revoke"
    assert client.post(url, data={"revoke-reason": "   "}).status_code == 400
    assert certificates()[0].status == CertificateStatus.CERTIFIED
    assert client.post(url, data={"revoke-reason": "Pesticide residue found."}).status_code == 302
    assert certificates()[0].status == CertificateStatus.REVOKED


def test_official_of_another_county_cannot_decide_and_does_not_see_it_queued(
        gi_world, as_user, make_user, make_batch_certificate):
    world = gi_world()
    certificate = make_batch_certificate(world.batch, status="submitted")
    stranger = as_user(make_user(official_of=("230184",)))
    for action in ("certify", "reject", "suspend", "reinstate", "revoke"):
        assert stranger.post(f"/official/certificates/{certificate.id}/{action}",
                             data={"reject-reason": "x"}).status_code == 403
    assert "Nothing is waiting" in stranger.get("/official/").get_data(as_text=True)
    assert certificates()[0].status == CertificateStatus.SUBMITTED


def test_official_cannot_certify_a_batch_of_their_own_cooperative(
        make_user, make_cooperative, make_gi_batch, make_gi_authorization, make_batch_certificate,
        as_user, app):
    official = make_user(official_of=("330106",))
    cooperative = make_cooperative(official, county="330106")
    make_gi_authorization(cooperative)
    certificate = make_batch_certificate(make_gi_batch(cooperative), status="submitted")
    assert as_user(official).post(f"/official/certificates/{certificate.id}/certify").status_code == 403
    from marketplace.certification.services import certificates as service
    from marketplace.core.errors import NotAllowed

    with app.test_request_context(), pytest.raises(NotAllowed):
        service.certify_batch(official, certificate.id)
    assert certificates()[0].status == CertificateStatus.SUBMITTED


def test_the_database_holds_one_certificate_per_batch(gi_world, make_batch_certificate):
    world = gi_world()
    make_batch_certificate(world.batch, status="submitted")
    db.session.add(BatchCertificate(batch_id=world.batch.id, cooperative_id=world.cooperative.id,
                                    standard_slug="longjing-tea", county_code="330106"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_two_officials_certifying_at_once_make_exactly_one_certificate(
        gi_world, make_user, make_batch_certificate, app, login):
    world = gi_world()
    second = make_user(official_of=("330106",))
    certificate = make_batch_certificate(world.batch, status="submitted")
    clients = []
    for official in (world.official, second):
        client = app.test_client()
        login(official, test_client=client)
        clients.append(client)
    url = f"/official/certificates/{certificate.id}/certify"  # read before the threads start
    form = review_form(world.batch)
    db.session.commit()
    barrier = threading.Barrier(len(clients))
    results = []

    def certify(client):
        with app.app_context():
            barrier.wait()
            response = client.post(url, data=form)
            results.append(response.status_code)

    threads = [threading.Thread(target=certify, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [302, 400]
    [certified] = certificates()
    assert certified.status == CertificateStatus.CERTIFIED
    assert db.session.scalar(select(func.count()).select_from(TraceCode)) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "certificate.certified")) == 1


def test_the_official_reads_grades_by_name_not_by_key(gi_world, as_user, make_batch_certificate):
    world = gi_world()
    certificate = make_batch_certificate(world.batch, status="submitted")
    page = as_user(world.official).get(f"/official/certificates/{certificate.id}").get_data(as_text=True)
    claimed = page[page.index("<dd>", page.index("Claimed grade") if "Claimed grade" in page
                              else page.index("申报等级")):]
    claimed = claimed[:claimed.index("</dd>")]
    assert "premium" not in claimed
    assert "特级" in claimed or "Premium" in claimed
