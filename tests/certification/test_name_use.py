"""A live listing may use a GI name only while the cooperative may: authorization and a passing batch.

When an official suspends or revokes the authorization, when it runs out, or when the
batch's certificate is revoked, the listings that use the name are paused at once, the
seller is told why by mail and on their list, and the audit log records it.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.core.audit import AuditEntry
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.certification.models import GIAuthorization
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow
from tests.seller.test_listings import listing_form

#: (product, county, a title using its name) for the products named in the issue.
PRODUCTS = [
    ("longjing-tea", "330106", "西湖龙井 雨前 250g", "Longjing tea"),
    ("ningxia-goji", "640521", "宁夏枸杞 头茬 500g", "Ningxia goji"),
    ("wuchang-rice", "230184", "五常大米 稻花香 5kg", "Wuchang rice"),
]


@pytest.fixture
def name_world(make_user, make_cooperative, make_gi_batch, make_gi_authorization, make_batch_certificate,
               make_listing):
    """An authorized cooperative of a product, its official, a certified batch and live listings."""

    def build(slug="longjing-tea", county="330106", title="西湖龙井 雨前 250g", *, authorized=True,
              passing=True, certified=True):
        seller = make_user(name="Seller")
        cooperative = make_cooperative(seller, county=county)
        official = make_user(name="Official", official_of=(county,))
        authorization = make_gi_authorization(cooperative, slug=slug) if authorized else None
        batch = make_gi_batch(cooperative, slug=slug, passing=passing)
        certificate = make_batch_certificate(batch) if certified else None
        named = make_listing(cooperative, title=title, batch=batch)
        plain = make_listing(cooperative, title="Bamboo tea scoop", category="other")
        return {"seller": seller, "cooperative": cooperative, "official": official,
                "authorization": authorization, "batch": batch, "certificate": certificate,
                "named": named, "plain": plain, "title": title}

    return build


def status_of(listing) -> ListingStatus:
    db.session.expire_all()
    return db.session.get(Listing, listing.id).status


def mails(outbox) -> list[dict]:
    return [{"to": m["To"], "subject": m["Subject"], "body": m.get_content()} for m in outbox()]


def pause_rows(listing) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "listing.name_use_paused", AuditEntry.subject_id == str(listing.id))))


# --- going live -------------------------------------------------------------------------


def test_a_batch_that_failed_validation_cannot_go_live_under_the_name(client, login, name_world):
    world = name_world(passing=False, certified=False)
    login(world["seller"])
    data = listing_form(world["cooperative"], status="active", title="西湖龙井 雨前",
                        batch_id=str(world["batch"].id))
    response = client.post("/seller/listings/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="batch_id-errors"' in page and "did not pass validation against the standard of Longjing tea" in page
    assert db.session.scalar(select(Listing).where(Listing.title == "西湖龙井 雨前")) is None


@pytest.mark.parametrize("state", ["none", "suspended", "revoked", "expired", "submitted"])
def test_without_a_valid_authorization_the_name_cannot_go_live(client, login, name_world, make_gi_authorization,
                                                               state):
    world = name_world(authorized=False)
    if state == "expired":
        make_gi_authorization(world["cooperative"], valid_from=utcnow() - timedelta(days=800),
                              valid_until=utcnow() - timedelta(days=1))
    elif state != "none":
        make_gi_authorization(world["cooperative"], status=state)
    login(world["seller"])
    data = listing_form(world["cooperative"], status="active", title="龙井茶 明前",
                        batch_id=str(world["batch"].id))
    response = client.post("/seller/listings/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="status-errors"' in page and "holds no valid authorization to use the GI name of Longjing tea" in page
    # Publishing from the list applies the same rule to a draft.
    draft = world["named"]
    client.post(f"/seller/listings/{draft.id}/status", data={"status": "paused"})
    response = client.post(f"/seller/listings/{draft.id}/status", data={"status": "active"}, follow_redirects=True)
    assert "holds no valid authorization" in response.get_data(as_text=True)
    assert status_of(draft) == ListingStatus.PAUSED


def test_awaiting_certification_shows_only_with_a_valid_authorization(client, login, name_world,
                                                                      make_gi_authorization):
    unauthorized = name_world(authorized=False, certified=False)
    page = client.get(f"/listings/{unauthorized['named'].id}").get_data(as_text=True)
    assert "awaiting certification" not in page and 'id="gi-mark">Not certified' in page
    authorized = name_world(certified=False)
    page = client.get(f"/listings/{authorized['named'].id}").get_data(as_text=True)
    assert "Longjing tea · validated, awaiting certification" in page


# --- decisions that withdraw the right ------------------------------------------------------


@pytest.mark.parametrize("slug,county,title,product", PRODUCTS)
@pytest.mark.parametrize("decision,because", [("revoke", "was revoked"), ("suspend", "was suspended")])
def test_an_officials_decision_on_the_authorization_pauses_the_named_listings(
        client, login, as_user, outbox, name_world, slug, county, title, product, decision, because):
    world = name_world(slug, county, title)
    shopper = as_user(None)
    assert shopper.get(f"/listings/{world['named'].id}").status_code == 200
    official = as_user(world["official"])
    url = f"/official/authorizations/{world['authorization'].id}/{decision}"
    response = official.post(url, data={f"{decision}-reason": "Bought in from outside the area."})
    assert response.status_code == 302

    assert status_of(world["named"]) == ListingStatus.PAUSED
    assert status_of(world["plain"]) == ListingStatus.ACTIVE  # no GI name: untouched
    assert shopper.get(f"/listings/{world['named'].id}").status_code == 404
    hits = shopper.get("/search", query_string={"q": title.split()[0]}).get_data(as_text=True)
    assert f'id="hit-{world["named"].id}"' not in hits

    [row] = pause_rows(world["named"])
    assert row.actor_id == world["official"].id and row.reason == "Bought in from outside the area."
    log = official.get("/official/audit", query_string={"action": "listing.name_use_paused"}).get_data(as_text=True)
    assert f"Listing #{world['named'].id}" in log
    assert row.details["because"] == {"revoke": "authorization_revoked", "suspend": "authorization_suspended"}[decision]
    paused = [m for m in mails(outbox) if m["subject"] == f"Listings paused: {product}"]
    assert len(paused) == 1 and paused[0]["to"] == world["seller"].email
    assert title in paused[0]["body"] and because in paused[0]["body"]
    assert "Bought in from outside the area." in paused[0]["body"]

    seller = as_user(world["seller"])
    rows = seller.get("/seller/listings").get_data(as_text=True)
    assert f'id="listing-{world["named"].id}-paused"' in rows and because in rows
    assert "Bought in from outside the area." in rows
    response = seller.post(f"/seller/listings/{world['named'].id}/status", data={"status": "active"},
                           follow_redirects=True)
    assert "holds no valid authorization" in response.get_data(as_text=True)
    assert status_of(world["named"]) == ListingStatus.PAUSED


def test_a_revoked_certificate_pauses_the_listings_of_that_batch_only(client, as_user, outbox, name_world,
                                                                      make_gi_batch, make_listing):
    world = name_world()
    other_batch = make_gi_batch(world["cooperative"])
    other = make_listing(world["cooperative"], title="龙井茶 二级", batch=other_batch)
    official = as_user(world["official"])
    response = official.post(f"/official/certificates/{world['certificate'].id}/revoke",
                             data={"revoke-reason": "Lab figures were forged."})
    assert response.status_code == 302
    assert status_of(world["named"]) == ListingStatus.PAUSED
    assert status_of(other) == ListingStatus.ACTIVE
    assert pause_rows(world["named"])[0].details["because"] == "certificate_revoked"
    assert any("certificate of the batch of Longjing tea was revoked" in m["body"] for m in mails(outbox))
    seller = as_user(world["seller"])
    response = seller.post(f"/seller/listings/{world['named'].id}/status", data={"status": "active"},
                           follow_redirects=True)
    assert "The certificate of the linked batch was revoked" in response.get_data(as_text=True)


def test_a_decision_that_fails_pauses_nothing(client, as_user, name_world):
    world = name_world()
    official = as_user(world["official"])
    url = f"/official/authorizations/{world['authorization'].id}/revoke"
    assert official.post(url, data={"revoke-reason": ""}).status_code == 400  # a reason is required
    assert status_of(world["named"]) == ListingStatus.ACTIVE and pause_rows(world["named"]) == []


# --- the clock -------------------------------------------------------------------------------


def _let_authorization_run_out(world) -> None:
    """Move the end of validity into the past, as the clock does (no decision, no other change)."""
    db.session.execute(GIAuthorization.__table__.update()
                       .where(GIAuthorization.id == world["authorization"].id)
                       .values(valid_until=utcnow() - timedelta(seconds=5)))
    db.session.commit()


@pytest.mark.parametrize("url", ["/listings/{id}", "/search?q=龙井", "/", "/seller/listings"])
def test_an_authorization_that_runs_out_pauses_its_listings_before_the_next_page(
        client, login, outbox, name_world, url):
    world = name_world()
    _let_authorization_run_out(world)
    if url.startswith("/seller"):
        login(world["seller"])
    response = client.get(url.format(id=world["named"].id))
    assert status_of(world["named"]) == ListingStatus.PAUSED
    assert status_of(world["plain"]) == ListingStatus.ACTIVE
    if url.startswith("/listings/"):
        assert response.status_code in (403, 404)
    else:
        assert f'id="hit-{world["named"].id}"' not in response.get_data(as_text=True)
    [row] = pause_rows(world["named"])
    assert row.details["because"] == "authorization_expired" and row.actor_id is None
    assert any("has expired" in m["body"] for m in mails(outbox))


def test_the_expiry_command_pauses_what_ran_out_for_cron(app, runner, name_world):
    world = name_world()
    _let_authorization_run_out(world)
    result = runner.invoke(args=["certification", "expire"])
    assert result.exit_code == 0 and "1 listing(s) paused." in result.output
    assert status_of(world["named"]) == ListingStatus.PAUSED
    assert runner.invoke(args=["certification", "expire"]).output.startswith("0 listing(s)")


# --- at the same moment ------------------------------------------------------------------------


def test_publishing_while_the_official_revokes_never_leaves_a_named_listing_live(app, login, name_world,
                                                                                  make_listing):
    """Ten sellers publish drafts under the name while the official revokes: none stays live."""
    import threading

    world = name_world()
    drafts = [make_listing(world["cooperative"], title=f"西湖龙井 {n} 号", batch=world["batch"], status="draft").id
              for n in range(10)]
    batch_id, revoke_url = world["batch"].id, f"/official/authorizations/{world['authorization'].id}/revoke"
    sellers = []
    for _ in drafts:
        client = app.test_client()
        login(world["seller"], test_client=client)
        sellers.append(client)
    official = app.test_client()
    login(world["official"], test_client=official)
    db.session.commit()  # end the test's own read: the threads write what it reads next
    start, errors = threading.Barrier(len(drafts) + 1, timeout=30), []

    def publish(client, listing_id):
        try:
            with app.app_context():
                start.wait()
                response = client.post(f"/seller/listings/{listing_id}/status", data={"status": "active"})
                if response.status_code != 302:
                    errors.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def revoke():
        try:
            with app.app_context():
                start.wait()
                response = official.post(revoke_url, data={"revoke-reason": "Counterfeit labels found."})
                if response.status_code != 302:
                    errors.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=publish, args=pair) for pair in zip(sellers, drafts)]
    threads.append(threading.Thread(target=revoke))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    db.session.rollback()
    assert db.session.get(GIAuthorization, world["authorization"].id).status.value == "revoked"
    live = db.session.scalars(select(Listing.id).where(Listing.status == ListingStatus.ACTIVE,
                                                        Listing.batch_id == batch_id)).all()
    assert live == []
    # Every listing that went live before the revocation was paused by it, with its audit row.
    paused = db.session.scalars(select(Listing).where(Listing.status == ListingStatus.PAUSED,
                                                       Listing.batch_id == batch_id)).all()
    assert paused and all(len(pause_rows(listing)) == 1 for listing in paused)
