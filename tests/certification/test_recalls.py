"""Recalls: a public notice about a batch's goods, distinct from a revocation, by the right people."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.core.audit import AuditEntry
from marketplace.certification.models import BatchCertificate
from marketplace.extensions import db

NOTICE = "Lead above the limit in a re-test of 28 Nov. Return the tea to the seller for a refund."


def recall(client, certificate_id: int, notice: str = NOTICE):
    return client.post(f"/official/certificates/{certificate_id}/recall", data={"recall-reason": notice})


def stored(certificate_id: int) -> BatchCertificate:
    db.session.expire_all()
    return db.session.get(BatchCertificate, certificate_id)


def test_an_official_of_the_cooperatives_county_recalls_with_an_audited_notice(certified_world, as_user):
    world = certified_world
    response = recall(as_user(world.official), world.certificate.id)
    assert response.status_code == 302
    certificate = stored(world.certificate.id)
    assert certificate.recall_notice == NOTICE and certificate.recalled_by_role == "county"
    assert certificate.recalled_by_id == world.official.id and certificate.status.value == "certified"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.recalled"))
    assert entry.actor_id == world.official.id and entry.reason == NOTICE and entry.public


def test_a_market_supervisor_may_recall_anywhere(certified_world, as_user, make_user, client):
    world = certified_world
    supervisor = make_user(supervisor=True)
    assert recall(as_user(supervisor), world.certificate.id).status_code == 302
    assert stored(world.certificate.id).recalled_by_role == "supervisor"
    page = client.get(f"/verify/{world.code}").get_data(as_text=True)
    assert "the market supervisor recalled the goods of this batch" in page


@pytest.mark.parametrize("who", ["other_county_official", "member_official", "seller", "shopper", "anonymous"])
def test_nobody_else_may_recall(certified_world, as_user, make_user, who):
    from marketplace.cooperatives.models import MemberRole, Membership

    world = certified_world
    user = {
        "other_county_official": lambda: make_user(official_of=("330108",)),
        "member_official": lambda: make_user(official_of=("330106",)),
        "seller": lambda: world.seller,
        "shopper": lambda: make_user(),
        "anonymous": lambda: None,
    }[who]()
    if who == "member_official":
        db.session.add(Membership(user_id=user.id, cooperative_id=world.cooperative.id, role=MemberRole.MEMBER))
        db.session.commit()
    response = recall(as_user(user), world.certificate.id)
    if who == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403
    assert stored(world.certificate.id).recalled_at is None


def test_a_recall_needs_a_notice_and_says_so_on_the_field(certified_world, as_user):
    world = certified_world
    response = recall(as_user(world.official), world.certificate.id, notice="   ")
    assert response.status_code == 400
    assert 'id="recall-form"' in response.get_data(as_text=True)
    assert stored(world.certificate.id).recalled_at is None


def test_a_batch_is_recalled_once(certified_world, as_user):
    world = certified_world
    official = as_user(world.official)
    recall(official, world.certificate.id)
    response = recall(official, world.certificate.id, notice="Again")
    assert response.status_code == 400 and stored(world.certificate.id).recall_notice == NOTICE


def test_a_batch_still_under_review_cannot_be_recalled(gi_world, make_batch_certificate, as_user):
    world = gi_world()
    certificate = make_batch_certificate(world.batch, status="submitted")
    assert recall(as_user(world.official), certificate.id).status_code == 400
    assert stored(certificate.id).recalled_at is None


def test_the_verify_page_shows_a_recall_notice_unlike_a_revocation(certified_world, as_user, client):
    world = certified_world
    recall(as_user(world.official), world.certificate.id)
    page = client.get(f"/verify/{world.code}").get_data(as_text=True)
    assert 'id="recall-notice"' in page and NOTICE in page
    assert "the county office of" in page and "recalled the goods of this batch" in page
    assert 'data-warning="certificate_revoked"' not in page and "REVOKED" not in page
    assert 'id="gi-badge"' not in page and 'class="banner banner-ok"' not in page


def test_a_revocation_shows_no_recall_notice(certified_world, as_user, client):
    world = certified_world
    as_user(world.official).post(f"/official/certificates/{world.certificate.id}/revoke",
                                 data={"revoke-reason": "Residue found."})
    page = client.get(f"/verify/{world.code}").get_data(as_text=True)
    assert 'data-warning="certificate_revoked"' in page and 'id="recall-notice"' not in page


def test_a_recalled_and_revoked_batch_shows_both(certified_world, as_user, client):
    world = certified_world
    official = as_user(world.official)
    recall(official, world.certificate.id)
    official.post(f"/official/certificates/{world.certificate.id}/revoke", data={"revoke-reason": "Residue."})
    page = client.get(f"/verify/{world.code}").get_data(as_text=True)
    assert 'id="recall-notice"' in page and 'data-warning="certificate_revoked"' in page


def test_a_recall_withdraws_the_badge_everywhere(certified_world, as_user):
    from marketplace.certification.services.badge import WithdrawnBecause, badge_for

    world = certified_world
    assert badge_for(world.batch).shown
    recall(as_user(world.official), world.certificate.id)
    db.session.expire_all()
    badge = badge_for(world.batch)
    assert not badge.shown and badge.withdrawn_because == WithdrawnBecause.BATCH_RECALLED


def test_the_recall_is_in_the_public_record_and_the_official_page(certified_world, as_user, client):
    world = certified_world
    official = as_user(world.official)
    recall(official, world.certificate.id)
    assert "Batch recalled" in client.get(f"/verify/{world.code}/history").get_data(as_text=True)
    page = official.get(f"/official/certificates/{world.certificate.id}").get_data(as_text=True)
    assert 'id="recall-state"' in page and 'id="recall-form"' not in page


def test_the_recall_form_is_offered_only_to_who_may_recall(certified_world, as_user, make_user):
    world = certified_world
    assert 'id="recall-form"' in as_user(world.official).get(
        f"/official/certificates/{world.certificate.id}").get_data(as_text=True)
    outsider = make_user(official_of=("330108",))
    assert as_user(outsider).get(f"/official/certificates/{world.certificate.id}").status_code == 403
