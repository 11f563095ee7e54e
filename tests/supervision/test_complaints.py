"""Complaints: filed from an order, a listing, a cooperative or the verify page; routed,
handled step by step with the complainant told; each audience sees only its part."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.core.audit import AuditEntry
from marketplace.extensions import db
from marketplace.supervision.models import Complaint, ComplaintPhoto
from tests.supervision.conftest import mail_to
from tests.support.factories_catalog import image_bytes, upload

MESSAGE = "The tea smells of smoke and the tin's seal was broken."


def complaints() -> list[Complaint]:
    db.session.expire_all()
    return list(db.session.scalars(select(Complaint).order_by(Complaint.id)))


def file(client, about: str, subject_id: int, **data):
    return client.post(f"/complaints/new?about={about}&id={subject_id}",
                       data={"message": MESSAGE, **data}, content_type="multipart/form-data")


@pytest.mark.parametrize("about", ["order", "listing", "cooperative"])
def test_a_buyer_files_a_complaint_routed_to_supervisors_and_the_seller_is_told_without_who(
        market, as_user, outbox, about):
    subject = {"order": market.sub.id, "listing": market.listing.id, "cooperative": market.cooperative.id}[about]
    response = file(as_user(market.buyer), about, subject, contact="buyer-phone 13900000000")
    assert response.status_code == 302
    [complaint] = complaints()
    assert complaint.cooperative_id == market.cooperative.id and complaint.status.value == "received"
    assert complaint.complainant_id == market.buyer.id and not complaint.gi_claim
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "complaint.filed"))
    assert entry.subject_id == str(complaint.id)
    messages = outbox()
    assert mail_to(messages, "buyer@example.com") and mail_to(messages, "supervisor@example.com")
    # The seller also had the order's own mails; the complaint's is the newest.
    to_seller = mail_to(messages, market.seller.email)[-1]
    body = to_seller.get_content()
    assert "13900000000" not in body and "buyer@example.com" not in body and "Buyer Wang" not in body
    # Not a GI claim: the county's official is not asked.
    assert not mail_to(messages, market.official.email)


def test_a_gi_claim_also_goes_to_the_officials_of_the_cooperatives_county(market, as_user, outbox):
    file(as_user(market.buyer), "listing", market.listing.id, gi_claim="y")
    [complaint] = complaints()
    assert complaint.gi_claim and complaint.county_code == "330106"
    assert mail_to(outbox(), market.official.email)
    official_page = as_user(market.official).get("/official/complaints").get_data(as_text=True)
    assert f"/official/complaints/{complaint.id}" in official_page


def test_nobody_complains_about_an_order_that_is_not_theirs(market, as_user, make_user):
    response = file(as_user(make_user()), "order", market.sub.id)
    assert response.status_code == 403 and complaints() == []


@pytest.mark.parametrize(("query", "data", "status", "text"), [
    ("about=listing&id={listing}", {"message": "   "}, 400, "Say what happened"),
    ("about=listing&id={listing}", {"message": "x" * 2001}, 400, "Keep it under 2000 characters."),
    ("about=listing&id={listing}", {"message": MESSAGE, "contact": "y" * 121}, 400, "Keep it under"),
    ("about=listing&id={listing}", {"message": MESSAGE, "photos": "not-a-file"}, 302, ""),
    ("about=nonsense&id=1", {"message": MESSAGE}, 404, ""),
    ("about=listing&id=abc", {"message": MESSAGE}, 404, ""),
    ("about=listing&id=99999999999999", {"message": MESSAGE}, 404, ""),
    ("about=listing&id=999999", {"message": MESSAGE}, 404, ""),
    ("about=cooperative&id=999999", {"message": MESSAGE}, 404, ""),
])
def test_bad_input_is_refused_by_name_and_never_a_500(market, as_user, query, data, status, text):
    client = as_user(market.buyer)
    response = client.post("/complaints/new?" + query.format(listing=market.listing.id), data=data)
    assert response.status_code == status
    assert text in response.get_data(as_text=True)
    if status != 302:
        assert complaints() == []


def test_a_photo_that_is_not_an_image_is_refused_on_the_photos_field(market, as_user):
    response = file(as_user(market.buyer), "listing", market.listing.id,
                    photos=[upload(b"%PDF-1.4 not an image", "label.jpg")])
    assert response.status_code == 400 and 'id="photos-errors"' in response.get_data(as_text=True)
    assert complaints() == []


def test_the_counterfeit_report_of_the_verify_page_files_a_complaint_with_label_photos(
        market, as_user, outbox):
    client = as_user(market.buyer)
    response = client.post("/verify/report", data={
        "code": market.code, "message": "Label colours are off.", "contact": "",
        "photos": [upload(image_bytes(), "label.jpg")]}, content_type="multipart/form-data")
    assert response.status_code == 200 and 'id="report-sent"' in response.get_data(as_text=True)
    [complaint] = complaints()
    assert complaint.kind.value == "counterfeit" and complaint.gi_claim
    assert complaint.cooperative_id == market.cooperative.id and complaint.counterfeit_report_id is not None
    [photo] = db.session.scalars(select(ComplaintPhoto)).all()
    shown = client.get(f"/complaints/photos/{photo.thumbnail}")
    shown.close()
    assert shown.status_code == 200
    # The photo is not public, and not for the seller.
    assert as_user(None).get(f"/complaints/photos/{photo.thumbnail}").status_code in (302, 401)
    assert as_user(market.seller).get(f"/complaints/photos/{photo.thumbnail}").status_code == 404
    assert mail_to(outbox(), market.official.email)


def test_an_anonymous_report_is_a_complaint_too_and_mails_a_contact_address(market, client, outbox):
    client.post("/verify/report", data={"code": market.code, "message": "Fake?", "contact": "shopper@example.com"})
    [complaint] = complaints()
    assert complaint.complainant_id is None and complaint.contact == "shopper@example.com"
    assert mail_to(outbox(), "shopper@example.com")


def handle(client, prefix: str, complaint_id: int, status: str, note: str = "Checked the seller's stock."):
    return client.post(f"{prefix}/complaints/{complaint_id}/step", data={"status": status, "note": note})


def test_the_supervisor_investigates_then_upholds_and_the_complainant_is_told_each_time(market, as_user, outbox):
    file(as_user(market.buyer), "listing", market.listing.id)
    [complaint] = complaints()
    supervisor = as_user(market.supervisor)
    assert handle(supervisor, "/admin", complaint.id, "investigating").status_code == 302
    assert handle(supervisor, "/admin", complaint.id, "upheld", "The tins were resealed.").status_code == 302
    [complaint] = complaints()
    assert complaint.status.value == "upheld" and complaint.decided_at is not None
    subjects = [m["Subject"] for m in mail_to(outbox(), "buyer@example.com") if "complaint" in m["Subject"]]
    assert len(subjects) == 3 and "upheld" in subjects[-1]
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_type == "complaint")))
    assert {"complaint.filed", "complaint.investigating", "complaint.upheld"} <= actions
    page = as_user(market.buyer).get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert "The tins were resealed." in page


def test_a_step_without_a_note_or_out_of_order_is_refused_naming_the_field(market, as_user):
    file(as_user(market.buyer), "listing", market.listing.id)
    [complaint] = complaints()
    supervisor = as_user(market.supervisor)
    missing = handle(supervisor, "/admin", complaint.id, "investigating", note="  ")
    assert missing.status_code == 400 and 'id="note-errors"' in missing.get_data(as_text=True)
    skipped = handle(supervisor, "/admin", complaint.id, "upheld")
    assert skipped.status_code == 400 and 'id="status-errors"' in skipped.get_data(as_text=True)
    bogus = handle(supervisor, "/admin", complaint.id, "<script>")
    assert bogus.status_code == 400
    assert complaints()[0].status.value == "received"


def test_an_official_outside_the_county_or_a_member_cannot_act(market, as_user, make_user):
    file(as_user(market.buyer), "listing", market.listing.id, gi_claim="y")
    [complaint] = complaints()
    assert handle(as_user(market.outsider_official), "/official", complaint.id, "investigating").status_code == 403
    assert as_user(market.outsider_official).get(f"/official/complaints/{complaint.id}").status_code == 403
    member_official = make_user(official_of=("330106",))
    from marketplace.cooperatives.models import Membership
    db.session.add(Membership(user_id=member_official.id, cooperative_id=market.cooperative.id))
    db.session.commit()
    assert handle(as_user(member_official), "/official", complaint.id, "investigating").status_code == 403
    assert complaints()[0].status.value == "received"
    # The county's own official may.
    assert handle(as_user(market.official), "/official", complaint.id, "investigating").status_code == 302


def test_an_official_cannot_handle_a_complaint_that_is_no_gi_claim(market, as_user):
    file(as_user(market.buyer), "listing", market.listing.id)
    [complaint] = complaints()
    assert handle(as_user(market.official), "/official", complaint.id, "investigating").status_code == 403


def test_a_complainant_sees_only_their_own(market, as_user, make_user):
    file(as_user(market.buyer), "listing", market.listing.id)
    [complaint] = complaints()
    other = as_user(make_user())
    assert other.get(f"/complaints/{complaint.id}").status_code == 403
    assert f"/complaints/{complaint.id}" not in other.get("/complaints").get_data(as_text=True)


def test_the_seller_sees_the_complaint_but_never_the_complainants_contact(market, as_user, make_user,
                                                                          make_cooperative):
    file(as_user(market.buyer), "listing", market.listing.id, contact="wechat: wang-tea-lover")
    [complaint] = complaints()
    seller = as_user(market.seller)
    page = seller.get(f"/seller/complaints/{complaint.id}").get_data(as_text=True)
    assert MESSAGE.split()[0] in page
    for secret in ("wang-tea-lover", "buyer@example.com", "Buyer Wang"):
        assert secret not in page
    assert f"/seller/complaints/{complaint.id}" in seller.get("/seller/complaints").get_data(as_text=True)
    other = make_user()
    make_cooperative(other)
    other_seller = as_user(other)
    assert other_seller.get(f"/seller/complaints/{complaint.id}").status_code == 403


def test_the_deadline_follows_the_setting(market, as_user, app):
    app.config["COMPLAINT_DEADLINE_DAYS"] = 7
    file(as_user(market.buyer), "listing", market.listing.id)
    [complaint] = complaints()
    from marketplace.core.working_days import working_days_between

    received = complaint.created_at.date()
    assert working_days_between(received, complaint.deadline) == 7
    assert (complaint.deadline - received).days >= 7  # weekends and holidays do not count


def test_the_deadline_skips_the_national_day_holiday(market, app):
    from datetime import date

    from marketplace.supervision.deadlines import complaint_deadline

    app.config["COMPLAINT_DEADLINE_DAYS"] = 3
    # 2026-09-30 is a Wednesday; 1–7 October are the National Day holiday, and
    # Saturday 10 October is a swapped working day.
    assert complaint_deadline(date(2026, 9, 30)) == date(2026, 10, 10)
