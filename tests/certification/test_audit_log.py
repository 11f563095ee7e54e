"""The audit log: a row for every decision, never changed, read by county or by supervisors."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.core.audit import AuditEntry, AuditLogIsAppendOnly
from marketplace.extensions import db
from tests.support.factories_certification import review_form


def test_every_decision_writes_one_audit_row_with_who_what_why_and_version(
        gi_world, as_user, make_gi_authorization, make_batch_certificate):
    world = gi_world()
    application = make_gi_authorization(world.cooperative, slug="longjing-tea", status="submitted")
    certificate = make_batch_certificate(world.batch, status="submitted")
    client = as_user(world.official)
    decisions = [
        (f"/official/authorizations/{application.id}/request-information", {"request-request": "More."},
         "authorization.more_information_requested"),
        (f"/official/certificates/{certificate.id}/certify", review_form(world.batch), "certificate.certified"),
        (f"/official/certificates/{certificate.id}/suspend", {"suspend-reason": "Check."}, "certificate.suspended"),
        (f"/official/certificates/{certificate.id}/reinstate", {}, "certificate.reinstated"),
        (f"/official/certificates/{certificate.id}/revoke", {"revoke-reason": "Bad."}, "certificate.revoked"),
        (f"/official/authorizations/{world.authorization.id}/suspend", {"suspend-reason": "Audit."},
         "authorization.suspended"),
        (f"/official/authorizations/{world.authorization.id}/revoke", {"revoke-reason": "Fraud."},
         "authorization.revoked"),
    ]
    for url, data, action in decisions:
        assert client.post(url, data=data).status_code == 302, url
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == action
        assert entry.actor_id == world.official.id and entry.county_code == "330106"
        assert entry.standard_version and entry.created_at is not None
    reasons = list(db.session.scalars(select(AuditEntry.reason).order_by(AuditEntry.id)))
    assert reasons == ["More.", "", "Check.", "", "Bad.", "Audit.", "Fraud."]


def test_audit_rows_cannot_be_changed_or_deleted(certified_world, as_user):
    as_user(certified_world.official).post(f"/official/certificates/{certified_world.certificate.id}/revoke",
                                           data={"revoke-reason": "Residue."})
    entry = db.session.scalar(select(AuditEntry))
    entry.reason = "nothing happened"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalar(select(AuditEntry)))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry)).reason == "Residue."


def test_officials_read_their_counties_and_supervisors_read_all(
        certified_world, as_user, make_user, make_cooperative, make_gi_authorization):
    world = certified_world
    as_user(world.official).post(f"/official/certificates/{world.certificate.id}/suspend",
                                 data={"suspend-reason": "Xihu check."})
    wuchang_official = make_user(official_of=("230184",))
    rice = make_cooperative(county="230184")
    rice_application = make_gi_authorization(rice, slug="wuchang-rice", status="submitted")
    as_user(wuchang_official).post(f"/official/authorizations/{rice_application.id}/reject",
                                   data={"reject-reason": "Wuchang reason."})
    xihu_page = as_user(world.official).get("/official/audit").get_data(as_text=True)
    assert "Xihu check." in xihu_page and "Wuchang reason." not in xihu_page
    supervisor = as_user(make_user(supervisor=True))
    page = supervisor.get("/official/audit").get_data(as_text=True)
    assert "Xihu check." in page and "Wuchang reason." in page
    filtered = supervisor.get("/official/audit", query_string={"county_code": "230184"}).get_data(as_text=True)
    assert "Xihu check." not in filtered and "Wuchang reason." in filtered
    by_action = supervisor.get("/official/audit", query_string={"action": "certificate.suspended"})
    assert "Wuchang reason." not in by_action.get_data(as_text=True)
    by_subject = supervisor.get("/official/audit", query_string={
        "subject_type": "batch", "subject_id": str(world.batch.id)}).get_data(as_text=True)
    assert "Xihu check." in by_subject and "Wuchang reason." not in by_subject
    dated = supervisor.get("/official/audit", query_string={"date_from": "2001-01-01", "date_to": "2001-12-31"})
    assert "No entries match." in dated.get_data(as_text=True)
    backwards = supervisor.get("/official/audit", query_string={"date_from": "2030-01-02", "date_to": "2030-01-01"})
    assert backwards.status_code == 400 and 'id="date_from-errors"' in backwards.get_data(as_text=True)
    assert supervisor.get("/official/audit", query_string={"date_from": "not-a-date"}).status_code == 400


def test_audit_log_is_paginated(certified_world, as_user, app, make_user):
    app.config["AUDIT_PAGE_SIZE"] = 2
    client = as_user(certified_world.official)
    url = f"/official/certificates/{certified_world.certificate.id}"
    for _ in range(3):
        client.post(f"{url}/suspend", data={"suspend-reason": "Check."})
        client.post(f"{url}/reinstate", data={})
    page = client.get("/official/audit").get_data(as_text=True)
    assert "Page 1 of 3" in page and 'rel="next"' in page
    last = client.get("/official/audit?page=3").get_data(as_text=True)
    assert "Page 3 of 3" in last and 'rel="next"' not in last
    assert client.get("/official/audit?page=999").status_code == 200
