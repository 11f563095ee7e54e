"""GI mark authorizations through the pages: apply, review, decide, suspend and revoke."""
from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from marketplace.core.audit import AuditEntry
from marketplace.certification.models import AuthorizationStatus, GIAuthorization
from marketplace.extensions import db
from marketplace.core.timeutil import as_utc
from tests.support.factories_certification import PDF_BYTES, png_bytes


def apply(client, cooperative, slug="longjing-tea", origin=None, form=None, statement="Village tea."):
    data = {"cooperative_id": str(cooperative.id), "standard_slug": slug, "statement": statement}
    if origin is not False:
        data["origin_report"] = (io.BytesIO(origin or PDF_BYTES), "产地核验报告.pdf")
    if form is not False:
        data["application_form"] = (io.BytesIO(form or png_bytes()), "form.png")
    return client.post("/seller/certification/apply", data=data, content_type="multipart/form-data")


def only_authorization():
    db.session.expire_all()
    return db.session.scalar(select(GIAuthorization))


def audit_actions():
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_cooperative_applies_with_documents_and_the_officials_of_its_county_are_told(
        as_user, make_user, make_cooperative, outbox):
    seller = make_user()
    cooperative = make_cooperative(seller, county="330106")
    official = make_user("xihu@example.com", official_of=("330106",))
    make_user("elsewhere@example.com", official_of=("230184",))
    response = apply(as_user(seller), cooperative)
    assert response.status_code == 302
    authorization = only_authorization()
    assert authorization.status == AuthorizationStatus.SUBMITTED
    assert authorization.county_code == "330106"
    assert sorted(d.mime_type for d in authorization.documents) == ["application/pdf", "image/png"]
    assert all(d.stored_name not in ("产地核验报告.pdf", "form.png") for d in authorization.documents)
    assert [m["To"] for m in outbox()] == ["xihu@example.com"]
    queue = as_user(official).get("/official/").get_data(as_text=True)
    assert cooperative.name in queue
    assert audit_actions() == ["authorization.applied"]


def test_cooperative_outside_the_protected_area_is_told_at_once_and_cannot_apply(
        as_user, make_user, make_cooperative):
    seller = make_user()
    cooperative = make_cooperative(seller, county="230184")  # 五常, not a Longjing county
    response = apply(as_user(seller), cooperative)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="standard_slug-errors"' in page and "outside the protected area" in page
    assert only_authorization() is None


def test_documents_are_checked_by_their_content_not_their_name(as_user, make_user, make_cooperative):
    seller = make_user()
    cooperative = make_cooperative(seller)
    client = as_user(seller)
    response = apply(client, cooperative, origin=b"just some text, not a PDF at all")
    assert response.status_code == 400
    assert 'id="origin_report-errors"' in response.get_data(as_text=True)
    response = apply(client, cooperative, form=False)
    assert response.status_code == 400
    assert 'id="application_form-errors"' in response.get_data(as_text=True)
    assert only_authorization() is None


def test_a_second_application_for_the_same_product_is_refused(as_user, make_user, make_cooperative):
    seller = make_user()
    cooperative = make_cooperative(seller)
    client = as_user(seller)
    assert apply(client, cooperative).status_code == 302
    response = apply(client, cooperative)
    assert response.status_code == 400
    assert "already under review" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(GIAuthorization)) == 1


def test_official_approves_with_a_number_and_three_years_by_default(
        as_user, gi_world, make_gi_authorization, outbox):
    world = gi_world(authorized=False)
    authorization = make_gi_authorization(world.cooperative, status="submitted")
    response = as_user(world.official).post(f"/official/authorizations/{authorization.id}/approve",
                                            data={"approve-years": "3"})
    assert response.status_code == 302
    approved = only_authorization()
    assert approved.status == AuthorizationStatus.APPROVED
    assert approved.number.startswith("GI-330106-")
    span = as_utc(approved.valid_until) - as_utc(approved.valid_from)
    assert timedelta(days=365 * 3) <= span <= timedelta(days=366 * 3)
    assert [m["To"] for m in outbox()] == [world.seller.email]
    assert "approved" in outbox()[0]["Subject"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "authorization.approved"))
    assert entry.actor_id == world.official.id and entry.public and entry.standard_version


def test_official_may_give_the_number_issued_on_paper(as_user, gi_world, make_gi_authorization):
    world = gi_world(authorized=False)
    authorization = make_gi_authorization(world.cooperative, status="submitted")
    as_user(world.official).post(f"/official/authorizations/{authorization.id}/approve",
                                 data={"approve-years": "2", "approve-number": "zj-gi-2026-0042"})
    assert only_authorization().number == "ZJ-GI-2026-0042"


def test_rejection_needs_a_reason(as_user, gi_world, make_gi_authorization):
    world = gi_world(authorized=False)
    authorization = make_gi_authorization(world.cooperative, status="submitted")
    client = as_user(world.official)
    response = client.post(f"/official/authorizations/{authorization.id}/reject", data={"reject-reason": "  "})
    assert response.status_code == 400
    assert 'id="reject-reason-errors"' in response.get_data(as_text=True)
    assert only_authorization().status == AuthorizationStatus.SUBMITTED
    response = client.post(f"/official/authorizations/{authorization.id}/reject",
                           data={"reject-reason": "The origin report is for another village."})
    assert response.status_code == 302
    rejected = only_authorization()
    assert rejected.status == AuthorizationStatus.REJECTED
    assert rejected.reason == "The origin report is for another village."


def test_official_asks_for_more_and_the_cooperative_answers_and_resubmits(
        as_user, gi_world, make_gi_authorization, outbox):
    world = gi_world(authorized=False)
    authorization = make_gi_authorization(world.cooperative, status="submitted")
    official, seller = as_user(world.official), as_user(world.seller)
    response = official.post(f"/official/authorizations/{authorization.id}/request-information",
                             data={"request-request": "Send the land contract of plot 7."})
    assert response.status_code == 302
    assert only_authorization().status == AuthorizationStatus.MORE_INFO_REQUESTED
    page = seller.get(f"/seller/certification/authorizations/{authorization.id}").get_data(as_text=True)
    assert "Send the land contract of plot 7." in page
    assert seller.post(f"/seller/certification/authorizations/{authorization.id}/resubmit",
                       data={"answer": ""}).status_code == 400
    response = seller.post(f"/seller/certification/authorizations/{authorization.id}/resubmit",
                           data={"answer": "Attached.", "supplement": (io.BytesIO(PDF_BYTES), "contract.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    resubmitted = only_authorization()
    assert resubmitted.status == AuthorizationStatus.SUBMITTED
    assert resubmitted.applicant_answer == "Attached."
    assert [d.kind.value for d in resubmitted.documents] == ["supplement"]
    assert audit_actions() == ["authorization.more_information_requested", "authorization.resubmitted"]


def test_suspension_is_lifted_and_revocation_is_final_and_needs_a_reason(as_user, gi_world):
    world = gi_world()
    client = as_user(world.official)
    url = f"/official/authorizations/{world.authorization.id}"
    assert client.post(f"{url}/suspend", data={"suspend-reason": ""}).status_code == 400
    assert client.post(f"{url}/suspend", data={"suspend-reason": "Lab results disputed."}).status_code == 302
    assert only_authorization().status == AuthorizationStatus.SUSPENDED
    assert client.post(f"{url}/reinstate", data={}).status_code == 302
    assert only_authorization().status == AuthorizationStatus.APPROVED
    assert client.post(f"{url}/revoke", data={"revoke-reason": ""}).status_code == 400
    assert only_authorization().status == AuthorizationStatus.APPROVED
    assert client.post(f"{url}/revoke", data={"revoke-reason": "Tea bought in from outside."}).status_code == 302
    assert only_authorization().status == AuthorizationStatus.REVOKED
    # Revoked is final: nothing brings it back.
    response = client.post(f"{url}/reinstate", data={})
    assert response.status_code == 400
    assert "cannot become" in response.get_data(as_text=True)
    assert only_authorization().status == AuthorizationStatus.REVOKED
    assert audit_actions() == ["authorization.suspended", "authorization.reinstated", "authorization.revoked"]


def test_illegal_transitions_are_refused_by_the_service(gi_world, app):
    import pytest

    from marketplace.certification.services import authorizations
    from marketplace.certification.errors import IllegalTransition

    world = gi_world()
    with app.test_request_context():
        with pytest.raises(IllegalTransition):
            authorizations.approve_authorization(world.official, world.authorization.id)
        with pytest.raises(IllegalTransition):
            authorizations.request_more_information(world.official, world.authorization.id, "More?")
    assert only_authorization().status == AuthorizationStatus.APPROVED


def test_official_who_is_a_member_of_the_cooperative_cannot_decide(
        as_user, make_user, make_cooperative, make_gi_authorization):
    official = make_user(official_of=("330106",))
    cooperative = make_cooperative(official, county="330106")
    authorization = make_gi_authorization(cooperative, status="submitted")
    client = as_user(official)
    page = client.get(f"/official/authorizations/{authorization.id}").get_data(as_text=True)
    assert "another official must decide" in page
    assert client.post(f"/official/authorizations/{authorization.id}/approve",
                       data={"approve-years": "3"}).status_code == 403
    assert only_authorization().status == AuthorizationStatus.SUBMITTED


def _status_of_download(client, url):
    response = client.get(url)
    response.close()
    return response.status_code


def test_documents_are_served_to_members_officials_of_the_county_and_supervisors(
        certified_world, as_user, make_user):
    world = certified_world
    seller_url = f"/seller/certification/documents/{world.document.id}"
    official_url = f"/official/documents/{world.document.id}"
    member = as_user(world.seller).get(seller_url)
    assert member.status_code == 200 and member.data.startswith(b"%PDF-")
    assert member.headers["Content-Type"] == "application/pdf"
    member.close()
    assert _status_of_download(as_user(world.official), official_url) == 200
    assert _status_of_download(as_user(make_user(supervisor=True)), official_url) == 200
    assert _status_of_download(as_user(make_user(official_of=("230184",))), official_url) == 403
    assert _status_of_download(as_user(make_user()), seller_url) == 403
