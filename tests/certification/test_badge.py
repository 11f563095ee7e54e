"""The badge rule: certificate and authorization both valid at the moment of reading."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from marketplace.catalog.models import Listing, ListingStatus
from marketplace.catalog.standards import current_catalogue
from marketplace.certification.services.badge import BadgeState, WithdrawnBecause, badge_for, badges_for
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


def listing_of(batch) -> Listing:
    listing = Listing(cooperative_id=batch.cooperative_id, title="西湖龙井 特级 250 g", category="tea",
                      price_minor=68800, unit="250 g tin", stock=10, status=ListingStatus.ACTIVE,
                      batch_id=batch.id)
    db.session.add(listing)
    db.session.commit()
    return listing


def test_certified_batch_of_an_authorized_cooperative_shows_the_badge(certified_world):
    badge = badge_for(listing_of(certified_world.batch))
    assert badge.state == BadgeState.CERTIFIED and badge.shown
    assert badge.trace_code == certified_world.code.replace("-", "")
    assert badge.certificate_number == certified_world.certificate.number
    assert badge.authorization_number == certified_world.authorization.number


def test_passing_batch_without_certificate_awaits_certification(gi_world):
    badge = badge_for(listing_of(gi_world().batch))
    assert badge.state == BadgeState.AWAITING_CERTIFICATION and not badge.shown


def test_failing_batch_and_listing_without_batch_show_nothing(gi_world):
    world = gi_world(passing=False)
    assert badge_for(listing_of(world.batch)).state == BadgeState.NONE
    assert badge_for(Listing(id=999, batch_id=None)).state == BadgeState.NONE


def test_badge_is_gone_at_once_when_the_certificate_is_revoked(certified_world, as_user):
    world = certified_world
    listing = listing_of(world.batch)
    as_user(world.official).post(f"/official/certificates/{world.certificate.id}/revoke",
                                 data={"revoke-reason": "Residue found."})
    badge = badge_for(listing)
    assert not badge.shown and badge.withdrawn_because == WithdrawnBecause.CERTIFICATE_REVOKED


def test_badge_is_gone_at_once_when_the_authorization_is_revoked(certified_world, as_user):
    world = certified_world
    listing = listing_of(world.batch)
    as_user(world.official).post(f"/official/authorizations/{world.authorization.id}/revoke",
                                 data={"revoke-reason": "Tea bought in."})
    badge = badge_for(listing)
    assert not badge.shown and badge.withdrawn_because == WithdrawnBecause.AUTHORIZATION_MISSING


def test_badge_is_gone_while_suspended_and_back_when_lifted(certified_world, as_user):
    world = certified_world
    listing = listing_of(world.batch)
    client = as_user(world.official)
    client.post(f"/official/certificates/{world.certificate.id}/suspend", data={"suspend-reason": "Check."})
    assert badge_for(listing).withdrawn_because == WithdrawnBecause.CERTIFICATE_SUSPENDED
    client.post(f"/official/certificates/{world.certificate.id}/reinstate", data={})
    assert badge_for(listing).shown


def test_badge_is_gone_once_the_certificate_expires(certified_world):
    world = certified_world
    listing = listing_of(world.batch)
    valid_until = world.certificate.valid_until
    assert badge_for(listing, at=valid_until - timedelta(seconds=1)).shown
    expired = badge_for(listing, at=valid_until + timedelta(seconds=1))
    assert not expired.shown and expired.withdrawn_because == WithdrawnBecause.CERTIFICATE_EXPIRED


def test_a_certificate_already_expired_shows_no_badge(gi_world, make_batch_certificate):
    world = gi_world()
    make_batch_certificate(world.batch, valid_until=utcnow() - timedelta(days=1))
    assert badge_for(listing_of(world.batch)).withdrawn_because == WithdrawnBecause.CERTIFICATE_EXPIRED


def test_badge_is_gone_once_the_authorization_expires(
        gi_world, make_gi_authorization, make_batch_certificate):
    world = gi_world(authorized=False)
    authorization = make_gi_authorization(world.cooperative, valid_until=utcnow() + timedelta(days=10))
    make_batch_certificate(world.batch)
    listing = listing_of(world.batch)
    assert badge_for(listing).shown
    later = badge_for(listing, at=authorization.valid_until + timedelta(seconds=1))
    assert later.withdrawn_because == WithdrawnBecause.AUTHORIZATION_MISSING


def test_an_authorization_that_ran_out_removes_the_badge(
        gi_world, make_gi_authorization, make_batch_certificate, make_user, make_cooperative):
    world = gi_world(authorized=False)
    make_gi_authorization(world.cooperative, valid_from=utcnow() - timedelta(days=1100),
                          valid_until=utcnow() - timedelta(days=5))
    make_batch_certificate(world.batch)
    badge = badge_for(listing_of(world.batch))
    assert badge.withdrawn_because == WithdrawnBecause.AUTHORIZATION_MISSING


def test_badges_for_many_listings_takes_one_query(certified_world, make_gi_batch):
    world = certified_world
    listings = [listing_of(world.batch) for _ in range(5)]
    listings += [listing_of(make_gi_batch(world.cooperative)) for _ in range(5)]
    db.session.expire_all()
    listings = [db.session.get(Listing, listing.id) for listing in listings]
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    current_catalogue()  # read once per request, whatever the number of listings
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        badges = badges_for(listings)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert sum(badge.shown for badge in badges.values()) == 5
    assert sum(badge.state == BadgeState.AWAITING_CERTIFICATION for badge in badges.values()) == 5
