"""Lifting a measure: only a supervisor, with a reason, once; the record keeps both steps."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.core.audit import AuditEntry
from marketplace.catalog.models import Listing
from marketplace.certification.services.badge import badge_for
from marketplace.certification.models import BatchCertificate
from marketplace.extensions import db
from marketplace.supervision.models import Sanction
from tests.supervision.conftest import mail_to, speaking

REASON = "Tins resealed and sold as the new harvest."
LIFTED = "The lab re-test found the tins were the declared harvest."


def fresh(model, row_id: int):
    db.session.expire_all()
    return db.session.get(model, row_id)


def actions(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def sanctions() -> list[Sanction]:
    db.session.expire_all()
    return list(db.session.scalars(select(Sanction).order_by(Sanction.id)))


@pytest.fixture
def taken_down(market, as_user):
    assert as_user(market.supervisor).post(f"/admin/listings/{market.listing.id}/take-down",
                                           data={"reason": REASON}).status_code == 302
    return market


@pytest.fixture
def frozen(market, as_user):
    assert as_user(market.supervisor).post(f"/admin/batches/{market.batch.id}/freeze",
                                           data={"reason": REASON}).status_code == 302
    return market


def lift_take_down(client, market, reason: str = LIFTED):
    return client.post(f"/admin/listings/{market.listing.id}/lift-take-down", data={"reason": reason})


def unfreeze(client, market, reason: str = LIFTED):
    return client.post(f"/admin/batches/{market.batch.id}/unfreeze", data={"reason": reason})


def test_a_lifted_take_down_puts_the_listing_back_on_sale_and_stays_on_the_record(taken_down, as_user, outbox):
    market = taken_down
    speaking(market.seller, "en")
    guest = as_user(None)
    assert guest.get("/api/v1/listings?q=龙井").get_json()["total"] == 0  # off sale, out of search
    supervisor = as_user(market.supervisor)
    page = supervisor.get(f"/admin/cooperatives/{market.cooperative.id}/measures").get_data(as_text=True)
    assert f"/admin/listings/{market.listing.id}/lift-take-down" in page
    assert lift_take_down(supervisor, market).status_code == 302
    listing = fresh(Listing, market.listing.id)
    assert listing.status.value == "active" and badge_for(listing).shown
    assert as_user(None).get(f"/listings/{listing.id}").status_code == 200
    found = guest.get("/api/v1/listings?q=龙井").get_json()
    assert [item["id"] for item in found["items"]] == [listing.id]  # back in search, with its badge
    assert found["items"][0]["badge"]["shown"]
    [entry] = actions("listing.take_down_lifted")
    assert entry.actor_id == market.supervisor.id and entry.reason == LIFTED and entry.details["restored"]
    [sanction] = sanctions()
    assert sanction.lifted_by_id == market.supervisor.id and sanction.lift_reason == LIFTED
    record = as_user(None).get(f"/cooperatives/{market.cooperative.id}").get_data(as_text=True)
    sanctions_section = record.split('id="sanctions"')[1]
    assert REASON in sanctions_section and LIFTED in sanctions_section and "lifted on" in sanctions_section
    [mail] = [m for m in mail_to(outbox(), market.seller.email) if "was lifted" in m["Subject"]]
    assert "it is on sale again" in mail.get_content() and LIFTED in mail.get_content()
    # Lifted, the seller may pause and publish it again like any listing.
    seller = as_user(market.seller)
    seller.post(f"/seller/listings/{listing.id}/status", data={"status": "paused"})
    seller.post(f"/seller/listings/{listing.id}/status", data={"status": "active"})
    assert fresh(Listing, listing.id).status.value == "active"


def test_lifting_needs_a_reason_naming_the_field_and_changes_nothing(taken_down, as_user, outbox):
    market = taken_down
    before = len(outbox())
    response = lift_take_down(as_user(market.supervisor), taken_down, " \x00 ")
    assert response.status_code == 400 and 'id="reason-errors"' in response.get_data(as_text=True)
    assert fresh(Listing, market.listing.id).status.value == "paused"
    assert sanctions()[0].lifted_at is None and actions("listing.take_down_lifted") == []
    assert len(outbox()) == before


def test_a_take_down_is_lifted_once(taken_down, as_user):
    supervisor = as_user(taken_down.supervisor)
    assert lift_take_down(supervisor, taken_down).status_code == 302
    again = lift_take_down(supervisor, taken_down, "Once more")
    assert again.status_code == 400 and "there is no take-down to lift" in again.get_data(as_text=True)
    assert len(actions("listing.take_down_lifted")) == 1 and sanctions()[0].lift_reason == LIFTED


def test_a_listing_never_taken_down_has_nothing_to_lift(market, as_user):
    response = lift_take_down(as_user(market.supervisor), market)
    assert response.status_code == 400 and "there is no take-down to lift" in response.get_data(as_text=True)
    assert actions("listing.take_down_lifted") == []


@pytest.mark.parametrize("who", ["seller", "official", "buyer"])
def test_nobody_but_a_supervisor_lifts_a_measure(taken_down, as_user, who):
    market = taken_down
    as_user(market.supervisor).post(f"/admin/batches/{market.batch.id}/freeze", data={"reason": REASON})
    client = as_user(getattr(market, who))
    assert lift_take_down(client, market).status_code == 403
    assert unfreeze(client, market).status_code == 403
    assert all(s.lifted_at is None for s in sanctions()) and len(sanctions()) == 2
    assert fresh(Listing, market.listing.id).status.value == "paused"
    assert fresh(BatchCertificate, market.certificate.id).recalled_at is not None


def test_a_guest_cannot_lift_a_measure(taken_down, as_user):
    response = lift_take_down(as_user(None), taken_down)
    assert response.status_code in (302, 401, 403) and "/login" in response.headers.get("Location", "/login")
    assert sanctions()[0].lifted_at is None


def test_the_lift_forms_need_their_csrf_token(taken_down, as_user, app):
    supervisor = as_user(taken_down.supervisor)
    app.config["WTF_CSRF_ENABLED"] = True
    response = lift_take_down(supervisor, taken_down)
    assert response.status_code == 400
    assert "The form expired or was not sent from this site" in response.get_data(as_text=True)
    assert sanctions()[0].lifted_at is None
    assert fresh(Listing, taken_down.listing.id).status.value == "paused"


def test_lifting_a_freeze_ends_its_recall_restores_the_listings_and_tells_the_buyers(frozen, as_user, outbox, client):
    market = frozen
    speaking(market.buyer, "en")
    assert unfreeze(as_user(market.supervisor), market).status_code == 302
    listing = fresh(Listing, market.listing.id)
    assert listing.status.value == "active" and badge_for(listing).shown
    assert fresh(BatchCertificate, market.certificate.id).recalled_at is None
    [entry] = actions("batch.unfrozen")
    assert entry.public and entry.details["recall_ended"] and entry.details["listings_restored"] == [listing.id]
    assert actions("certificate.recall_ended")
    [ended] = [m for m in mail_to(outbox(), market.buyer.email) if "Recall ended" in m["Subject"]]
    assert LIFTED in ended.get_content()
    history = client.get(f"/verify/{market.code}/history").get_data(as_text=True)
    assert "Batch recall ended" in history and "Batch freeze lifted by the market supervisor" in history
    # Frozen again later, the listing pauses again: the lifted measure does not shield it.
    assert as_user(market.supervisor).post(f"/admin/batches/{market.batch.id}/freeze",
                                           data={"reason": REASON}).status_code == 302
    assert fresh(Listing, market.listing.id).status.value == "paused"


def test_a_freeze_is_lifted_once(frozen, as_user):
    supervisor = as_user(frozen.supervisor)
    assert unfreeze(supervisor, frozen).status_code == 302
    again = unfreeze(supervisor, frozen, "Again")
    assert again.status_code == 400 and "there is no freeze to lift" in again.get_data(as_text=True)
    assert len(actions("batch.unfrozen")) == 1 and len(actions("certificate.recall_ended")) == 1


def test_lifting_a_freeze_keeps_a_listing_off_sale_while_another_rule_forbids_it(frozen, as_user, outbox):
    market = frozen
    supervisor = as_user(market.supervisor)
    supervisor.post(f"/admin/listings/{market.listing.id}/take-down", data={"reason": REASON})
    assert unfreeze(supervisor, market).status_code == 302
    assert fresh(Listing, market.listing.id).status.value == "paused"
    [mail] = [m for m in mail_to(outbox(), market.seller.email) if "freeze" in m["Subject"]]
    assert "stay paused" in mail.get_content()
    # A suspended cooperative's listing stays paused when its take-down is lifted.
    supervisor.post(f"/admin/cooperatives/{market.cooperative.id}/suspend", data={"reason": REASON})
    assert lift_take_down(supervisor, market).status_code == 302
    assert fresh(Listing, market.listing.id).status.value == "paused"


def test_lifting_a_freeze_leaves_an_officials_own_recall_in_force(market, as_user):
    assert as_user(market.official).post(f"/official/certificates/{market.certificate.id}/recall",
                                         data={"recall-reason": "Lead above the limit."}).status_code == 302
    supervisor = as_user(market.supervisor)
    assert supervisor.post(f"/admin/batches/{market.batch.id}/freeze", data={"reason": REASON}).status_code == 302
    assert unfreeze(supervisor, market).status_code == 302
    assert fresh(BatchCertificate, market.certificate.id).recalled_at is not None
    assert not badge_for(fresh(Listing, market.listing.id)).shown
    assert actions("certificate.recall_ended") == []


def test_a_supervisor_who_is_a_member_cannot_lift_their_own_cooperatives_measure(frozen, as_user, make_user):
    from marketplace.cooperatives.models import Membership

    insider = make_user("insider@example.com", supervisor=True)
    db.session.add(Membership(user_id=insider.id, cooperative_id=frozen.cooperative.id))
    db.session.commit()
    client = as_user(insider)
    assert unfreeze(client, frozen).status_code == 403
    assert all(s.lifted_at is None for s in sanctions())
    assert fresh(BatchCertificate, frozen.certificate.id).recalled_at is not None
    assert fresh(Listing, frozen.listing.id).status.value == "paused"
