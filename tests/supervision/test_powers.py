"""A supervisor's measures: each needs a reason, is mailed, audited with the change, and holds."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.core.audit import AuditEntry
from marketplace.catalog.models import Listing
from marketplace.certification.services.badge import badge_for
from marketplace.cooperatives.models import Cooperative
from marketplace.extensions import db
from marketplace.supervision.models import Sanction
from tests.supervision.conftest import mail_to

REASON = "Tins resealed and sold as the new harvest."


def fresh_listing(listing_id: int) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing_id)


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.mark.parametrize(("url", "field"), [
    ("/admin/listings/{listing}/take-down", "reason"),
    ("/admin/batches/{batch}/freeze", "reason"),
    ("/admin/cooperatives/{cooperative}/suspend", "reason"),
])
def test_a_measure_without_a_reason_is_refused_naming_the_field(market, as_user, url, field):
    before = actions()
    response = as_user(market.supervisor).post(url.format(listing=market.listing.id, batch=market.batch.id,
                                                          cooperative=market.cooperative.id), data={"reason": " \x00 "})
    assert response.status_code == 400 and f'id="{field}-errors"' in response.get_data(as_text=True)
    assert actions() == before and db.session.scalars(select(Sanction)).all() == []


@pytest.mark.parametrize("url", ["/admin/listings/{listing}/take-down", "/admin/batches/{batch}/freeze",
                                 "/admin/cooperatives/{cooperative}/suspend"])
def test_only_a_supervisor_may_take_a_measure(market, as_user, url):
    target = url.format(listing=market.listing.id, batch=market.batch.id, cooperative=market.cooperative.id)
    for who in (market.seller, market.official, market.buyer):
        assert as_user(who).post(target, data={"reason": REASON}).status_code == 403
    assert db.session.scalars(select(Sanction)).all() == []


def test_a_taken_down_listing_is_off_sale_for_good_and_on_the_public_record(market, as_user, outbox):
    response = as_user(market.supervisor).post(f"/admin/listings/{market.listing.id}/take-down",
                                               data={"reason": REASON})
    assert response.status_code == 302
    listing = fresh_listing(market.listing.id)
    assert listing.status.value == "paused" and "listing.taken_down" in actions()
    assert [m for m in mail_to(outbox(), market.seller.email) if "taken down" in m["Subject"]]
    # The seller cannot put it back on sale, whichever way they try.
    seller = as_user(market.seller)
    seller.post(f"/seller/listings/{listing.id}/status", data={"status": "active"})
    seller.post(f"/seller/listings/{listing.id}/status", data={"status": "sold_out"})
    assert fresh_listing(listing.id).status.value == "paused"
    page = as_user(None).get(f"/cooperatives/{market.cooperative.id}").get_data(as_text=True)
    assert 'id="sanctions"' in page and REASON in page


def test_freezing_a_batch_withdraws_the_badge_pauses_listings_and_mails_every_buyer(
        market, as_user, outbox, client):
    assert badge_for(market.listing).shown
    response = as_user(market.supervisor).post(f"/admin/batches/{market.batch.id}/freeze", data={"reason": REASON})
    assert response.status_code == 302
    listing = fresh_listing(market.listing.id)
    assert listing.status.value == "paused" and not badge_for(listing).shown
    assert {"certificate.recalled", "batch.frozen"} <= set(actions())
    [recall] = [m for m in mail_to(outbox(), "buyer@example.com") if "Recall" in m["Subject"]]
    assert REASON in recall.get_content() and market.code in recall.get_content()
    verify = client.get(f"/verify/{market.code}").get_data(as_text=True)
    assert REASON in verify
    # The listing stays off sale while the batch is frozen.
    as_user(market.seller).post(f"/seller/listings/{listing.id}/status", data={"status": "active"})
    assert fresh_listing(listing.id).status.value == "paused"


def test_a_batch_is_frozen_once(market, as_user):
    supervisor = as_user(market.supervisor)
    supervisor.post(f"/admin/batches/{market.batch.id}/freeze", data={"reason": REASON})
    again = supervisor.post(f"/admin/batches/{market.batch.id}/freeze", data={"reason": REASON})
    assert again.status_code == 400 and "already frozen" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(Sanction)).all()) == 1


def test_suspend_and_reinstate_a_cooperative_each_with_a_reason(market, as_user, outbox):
    supervisor = as_user(market.supervisor)
    assert supervisor.post(f"/admin/cooperatives/{market.cooperative.id}/suspend",
                           data={"reason": REASON}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Cooperative, market.cooperative.id).status.value == "suspended"
    assert as_user(None).get(f"/listings/{market.listing.id}").status_code == 404
    missing = supervisor.post(f"/admin/cooperatives/{market.cooperative.id}/reinstate", data={"reason": ""})
    assert missing.status_code == 400 and 'id="reason-errors"' in missing.get_data(as_text=True)
    assert supervisor.post(f"/admin/cooperatives/{market.cooperative.id}/reinstate",
                           data={"reason": "Stock destroyed under supervision."}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Cooperative, market.cooperative.id).status.value == "verified"
    assert {"cooperative.suspended", "cooperative.reinstated"} <= set(actions())
    assert len([m for m in mail_to(outbox(), market.seller.email) if "suspended" in m["Subject"]
                or "reinstated" in m["Subject"]]) == 2


def test_the_status_form_of_a_suspended_cooperative_shows_suspended_and_changes_nothing(market, as_user):
    supervisor = as_user(market.supervisor)
    supervisor.post(f"/admin/cooperatives/{market.cooperative.id}/suspend", data={"reason": REASON})
    page = supervisor.get("/admin/cooperatives").get_data(as_text=True)
    row = page.split(f'id="status-{market.cooperative.id}"')[1].split("</select>")[0]
    assert '<option selected value="suspended">' in row or 'value="suspended" selected' in row
    # Submitting the form as shown changes nothing.
    supervisor.post(f"/admin/cooperatives/{market.cooperative.id}/status", data={"status": "suspended", "reason": ""})
    db.session.expire_all()
    assert db.session.get(Cooperative, market.cooperative.id).status.value == "suspended"
    # Reinstating through it needs a reason like any measure.
    supervisor.post(f"/admin/cooperatives/{market.cooperative.id}/status", data={"status": "verified", "reason": ""})
    db.session.expire_all()
    assert db.session.get(Cooperative, market.cooperative.id).status.value == "suspended"


def test_remove_and_reassign_an_official(market, as_user, outbox, make_county):
    from marketplace.accounts.models import OfficialAppointment

    make_county("330110")
    supervisor = as_user(market.supervisor)
    appointment = db.session.scalar(select(OfficialAppointment).where(
        OfficialAppointment.user_id == market.official.id))
    refused = supervisor.post(f"/admin/appointments/{appointment.id}/reassign",
                              data={"county_code": "999999", "reason": REASON})
    assert refused.status_code == 400 and 'id="county_code-errors"' in refused.get_data(as_text=True)
    assert supervisor.post(f"/admin/appointments/{appointment.id}/reassign",
                           data={"county_code": "330110", "reason": REASON}).status_code == 302
    db.session.expire_all()
    assert db.session.get(OfficialAppointment, appointment.id).county_code == "330110"
    no_reason = supervisor.post(f"/admin/appointments/{appointment.id}/remove", data={"reason": ""})
    assert no_reason.status_code == 400 and 'id="reason-errors"' in no_reason.get_data(as_text=True)
    assert supervisor.post(f"/admin/appointments/{appointment.id}/remove", data={"reason": REASON}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(OfficialAppointment.id).where(OfficialAppointment.user_id == market.official.id)) is None
    assert {"official.reassigned", "official.removed"} <= set(actions())
    assert len(mail_to(outbox(), market.official.email)) == 2


def test_the_whole_audit_log_shows_every_action_with_filters(market, as_user):
    supervisor = as_user(market.supervisor)
    supervisor.post(f"/admin/cooperatives/{market.cooperative.id}/suspend", data={"reason": REASON})
    table = supervisor.get("/admin/audit-log?action=cooperative.").get_data(as_text=True).split('id="audit-log"')[1]
    assert "cooperative.suspended" in table and "order.placed" not in table
    everything = supervisor.get("/admin/audit-log").get_data(as_text=True).split('id="audit-log"')[1]
    assert "order.placed" in everything and "cooperative.suspended" in everything
    by_actor = supervisor.get("/admin/audit-log?actor_email=supervisor@example.com").get_data(as_text=True)
    assert "order.placed" not in by_actor.split('id="audit-log"')[1]
    bad = supervisor.get("/admin/audit-log?date_from=2026-13-45&county_code=1234567")
    assert bad.status_code == 400
    assert as_user(market.official).get("/admin/audit-log").status_code == 403


def test_the_dashboard_shows_overdue_files_by_county_and_counties_without_an_official(
        market, as_user, make_cooperative, make_gi_authorization, app):
    from datetime import timedelta

    from marketplace.core.timeutil import utcnow

    lonely = make_cooperative(county="110101")
    authorization = make_gi_authorization(lonely, status="submitted")
    authorization.submitted_at = utcnow() - timedelta(days=60)
    db.session.commit()
    # 110101 has an official in the fixture; a county without one:
    remote = make_cooperative(county="620102")
    make_gi_authorization(remote, status="submitted")
    page = as_user(market.supervisor).get("/admin/supervision").get_data(as_text=True)
    overdue = page.split('id="overdue-by-county"')[1].split("</section>")[0]
    unserved = page.split('id="unserved-counties"')[1].split("</section>")[0]
    assert "110101" in overdue or "County 110101" in overdue
    assert "620102" in unserved and "110101" not in unserved


def test_flagged_payments_are_queued_for_the_supervisor(market, as_user):
    market.order.flagged, market.order.flag_reason = True, "amount 1 CNY does not match 25.00"
    db.session.commit()
    page = as_user(market.supervisor).get("/admin/flagged-payments").get_data(as_text=True)
    assert f"#{market.order.id}" in page and "does not match" in page
    assert as_user(market.buyer).get("/admin/flagged-payments").status_code == 403
