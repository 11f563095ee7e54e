"""The index follows the database: after each commit, on rollback, after a failed write,
and when rebuilt or checked from the command line."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.search.test_finding_listings import found_ids


def outbox_rows() -> int:
    from marketplace.extensions import db
    from marketplace.search.models import SearchOutbox

    count = db.session.scalar(select(func.count(SearchOutbox.id)))
    db.session.commit()
    return count


def test_a_new_listing_is_found_right_after_its_commit_and_the_outbox_is_emptied(client, make_product):
    listing = make_product("西湖龙井 新茶", slug="longjing-tea")
    assert found_ids(client, q="新茶") == [listing.id]
    assert outbox_rows() == 0


def test_a_paused_listing_disappears_from_results_at_once(client, make_product):
    from marketplace.catalog.models import ListingStatus
    from marketplace.extensions import db

    listing = make_product("西湖龙井 明前", slug="longjing-tea")
    assert found_ids(client, q="longjing") == [listing.id]
    listing.status = ListingStatus.PAUSED
    db.session.commit()
    assert found_ids(client, q="longjing") == []
    listing.status = ListingStatus.ACTIVE
    db.session.commit()
    assert found_ids(client, q="longjing") == [listing.id]


@pytest.mark.parametrize("status", ["draft", "sold_out"])
def test_listings_that_are_not_live_are_never_found(client, make_product, status):
    make_product("西湖龙井 明前", slug="longjing-tea", status=status)
    assert found_ids(client, q="longjing") == []


def test_listings_of_a_suspended_cooperative_are_not_found(client, make_product):
    from marketplace.cooperatives.models import CooperativeStatus
    from marketplace.extensions import db

    listing = make_product("西湖龙井 明前", slug="longjing-tea")
    listing.cooperative.status = CooperativeStatus.SUSPENDED
    db.session.commit()
    assert found_ids(client, q="longjing") == []


def test_renaming_a_county_reindexes_its_listings(client, make_product):
    from marketplace.cooperatives.models import County
    from marketplace.extensions import db

    listing = make_product("明前茶", county="330106")
    db.session.get(County, "330106").name_en = "Lakeside District"
    db.session.commit()
    assert found_ids(client, q="lakeside") == [listing.id]


def test_a_rolled_back_change_is_neither_indexed_nor_left_in_the_outbox(client, make_product):
    from marketplace.extensions import db

    listing = make_product("西湖龙井 明前", slug="longjing-tea")
    listing.title = "完全不同的名字"
    db.session.flush()
    db.session.rollback()
    assert outbox_rows() == 0
    assert found_ids(client, q="longjing") == [listing.id]


@pytest.fixture
def certified_listing(gi_world, make_batch_certificate, make_listing):
    world = gi_world()
    certificate = make_batch_certificate(world.batch)
    listing = make_listing(world.cooperative, title="西湖龙井 特级 certified", batch=world.batch)
    return world, certificate, listing


def test_a_certified_listing_counts_in_the_certified_facet_and_shows_its_badge(client, certified_listing):
    _world, _certificate, listing = certified_listing
    page = client.get("/search", query_string={"q": "longjing"}).get_data(as_text=True)
    assert 'data-badge="certified"' in page
    assert found_ids(client, q="longjing", certified="1") == [listing.id]


def test_a_revoked_certificate_leaves_the_certified_facet_at_once(client, certified_listing):
    from marketplace.certification.services.certificates import revoke_certificate

    world, certificate, listing = certified_listing
    revoke_certificate(world.official, certificate.id, "Lab figures were forged.")
    assert found_ids(client, q="longjing", certified="1") == []
    # The batch may no longer be sold under the name: its listing is paused, not just unbadged.
    page = client.get("/search", query_string={"q": "longjing"}).get_data(as_text=True)
    assert f'id="hit-{listing.id}"' not in page and 'data-badge="certified"' not in page


def test_a_suspended_authorization_removes_the_certified_flag(client, certified_listing):
    from marketplace.certification.services.authorizations import suspend_authorization

    world, _certificate, listing = certified_listing
    suspend_authorization(world.official, world.authorization.id, "Inspection pending.")
    assert found_ids(client, q="longjing", certified="1") == []
    assert found_ids(client, q="longjing") == []  # paused: no longer sold under the name


def test_an_index_write_that_cannot_get_the_lock_waits_in_the_outbox(client, app, make_product, search_backend):
    """The shopper's change commits without an error; `flask search sync` applies it later."""
    from marketplace.extensions import db
    from marketplace.search import services

    listing = make_product("西湖龙井 明前", slug="longjing-tea")
    app.config["SEARCH_WRITER_TIMEOUT"] = 0.3
    services.backend().writer_timeout = 0.3
    with _index_locked(app, listing.id, search_backend):
        listing.title = "五常大米 新米"
        db.session.commit()
    assert outbox_rows() == 1
    assert found_ids(client, q="大米") == []
    result = app.test_cli_runner().invoke(args=["search", "sync"])
    assert "Applied 1 pending listings." in result.output
    assert found_ids(client, q="大米") == [listing.id]
    assert outbox_rows() == 0


def test_a_worker_that_deletes_rows_it_applied_never_deletes_a_newer_commits_row(
        client, app, make_product, search_backend):
    """Worker X reads the outbox, another worker applies and deletes the same rows, and a
    new commit writes its row: when X then deletes what it read, the new row survives,
    even where the database would hand the freed id out again (SQLite)."""
    from sqlalchemy import delete

    from marketplace.extensions import db
    from marketplace.search import sync
    from marketplace.search.models import SearchOutbox

    first = make_product("西湖龙井 明前", slug="longjing-tea")
    second = make_product("五常大米 新米", slug="wuchang-rice")
    app.config["SEARCH_WRITER_TIMEOUT"] = 0.3
    with _index_locked(app, [first.id, second.id], search_backend):
        first.title = "西湖龙井 雨前"
        db.session.commit()
        read_by_worker_x = sync._outbox_rows(limit=100)
        assert [row.listing_id for row in read_by_worker_x] == [first.id]
        db.session.execute(delete(SearchOutbox))  # another worker applied them first
        db.session.commit()
        second.title = "五常大米 稻花香"
        db.session.commit()
        sync._delete_rows(sync._these_rows(read_by_worker_x))
    assert outbox_rows() == 1
    app.test_cli_runner().invoke(args=["search", "sync"])
    assert found_ids(client, q="稻花香") == [second.id]


class _index_locked:
    """Hold the index's write lock (Whoosh) or the listing's advisory lock (PostgreSQL)."""

    def __init__(self, app, listing_ids, backend_name):
        self.app, self.backend_name = app, backend_name
        self.listing_ids = listing_ids if isinstance(listing_ids, list) else [listing_ids]

    def __enter__(self):
        from marketplace.extensions import db
        from marketplace.search import services
        from marketplace.search.backends.postgres_index import LOCK_NAMESPACE

        if self.backend_name == "whoosh":
            backend = services.backend()
            self.writer = backend._open(backend._ensure_current()).writer()
        else:
            self.connection = db.engine.connect()
            for listing_id in self.listing_ids:
                self.connection.exec_driver_sql(f"SELECT pg_advisory_lock({LOCK_NAMESPACE}, {int(listing_id)})")
        return self

    def __exit__(self, *exc):
        from marketplace.search.backends.postgres_index import LOCK_NAMESPACE

        if self.backend_name == "whoosh":
            self.writer.cancel()
        else:
            for listing_id in self.listing_ids:
                self.connection.exec_driver_sql(f"SELECT pg_advisory_unlock({LOCK_NAMESPACE}, {int(listing_id)})")
            self.connection.close()


def test_reindex_rebuilds_the_index_and_search_keeps_answering(client, app, make_product, search_backend):
    from marketplace.search import services

    listings = [make_product(f"西湖龙井 第{n}批", slug="longjing-tea") for n in range(5)]
    services.backend().apply([listings[0].id], lambda ids: ([], set(ids)))  # lose one document
    assert len(found_ids(client, q="longjing")) == 4
    answered = []

    def progress(step):
        answered.append(len(found_ids(client, q="longjing")))

    assert services.reindex(progress=progress) == 5
    assert answered and all(count >= 4 for count in answered)
    assert sorted(found_ids(client, q="longjing")) == sorted(l.id for l in listings)
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Indexed 5 live listings of 5" in result.output


def test_check_reports_missing_stale_and_extra_documents_and_repairs_them(app, make_product):
    import dataclasses

    from marketplace.catalog.models import ListingStatus
    from marketplace.extensions import db
    from marketplace.search import services

    one, two, three = (make_product(f"西湖龙井 {n}", slug="longjing-tea") for n in range(3))
    runner = app.test_cli_runner()
    assert "The index is in step" in runner.invoke(args=["search", "check"]).output
    backend = services.backend()
    backend.apply([one.id], lambda ids: ([], set(ids)))
    stale, _gone = services.load_documents([two.id])
    backend.apply([two.id], lambda ids: ([dataclasses.replace(stale[0], fingerprint="old")], set()))
    three.status = ListingStatus.PAUSED
    db.session.commit()
    fresh, _gone = services.load_documents([one.id])
    dead = dataclasses.replace(fresh[0], listing_id=three.id)
    backend.apply([three.id], lambda ids: ([dead], set()))
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code != 0
    assert f"missing: 1 ({one.id})" in result.output
    assert f"stale: 1 ({two.id})" in result.output
    assert f"extra: 1 ({three.id})" in result.output
    runner.invoke(args=["search", "check", "--repair"])
    assert "The index is in step" in runner.invoke(args=["search", "check"]).output


def test_a_listing_sold_out_by_an_order_leaves_the_results_and_comes_back_when_released(client, make_product):
    from marketplace.extensions import db
    from marketplace.orders.services.reservations import release_stock, reserve_stock

    listing = make_product("西湖龙井 明前", slug="longjing-tea")
    size = listing.variants[0]  # stock is reserved per size
    reserve_stock([(size.id, listing.stock)])
    db.session.commit()
    assert found_ids(client, q="longjing") == []
    release_stock([(size.id, 1)])
    db.session.commit()
    assert found_ids(client, q="longjing") == [listing.id]


def test_a_certificate_that_expires_leaves_the_certified_facet_without_any_job(client, certified_listing):
    """Expiry changes no row through the ORM; the next search still sees it."""
    import sqlalchemy as sa

    from marketplace.certification.models import BatchCertificate
    from marketplace.extensions import db
    from marketplace.core.timeutil import utcnow

    _world, certificate, listing = certified_listing
    assert found_ids(client, q="longjing", certified="1") == [listing.id]
    db.session.execute(sa.update(BatchCertificate).where(BatchCertificate.id == certificate.id)
                       .values(valid_until=utcnow()))
    db.session.commit()
    assert found_ids(client, q="longjing", certified="1") == []
    assert found_ids(client, q="longjing") == [listing.id]


def test_an_authorization_that_expires_leaves_the_certified_facet(client, certified_listing):
    import sqlalchemy as sa

    from marketplace.certification.models import GIAuthorization
    from marketplace.extensions import db
    from marketplace.core.timeutil import utcnow

    world, _certificate, listing = certified_listing
    assert found_ids(client, q="longjing", certified="1") == [listing.id]
    db.session.execute(sa.update(GIAuthorization).where(GIAuthorization.id == world.authorization.id)
                       .values(valid_until=utcnow()))
    db.session.commit()
    assert found_ids(client, q="longjing", certified="1") == []


@pytest.mark.parametrize("search_backend", ["whoosh"])
def test_a_commit_that_fails_half_way_lets_go_of_the_index_lock(client, app, make_product, search_backend):
    """Whoosh can fail inside its commit (a full disk; here, a segment name already on disk,
    drawn twice from a global random seeded alike). The failed write waits in the outbox, and
    the next change must get the lock at once, not only after the garbage collector ran."""
    import random

    from marketplace.extensions import db
    from marketplace.search import services

    listing = make_product("西湖龙井 明前", slug="longjing-tea")
    services.backend().writer_timeout = 0.3
    app.config["SEARCH_WRITER_TIMEOUT"] = 0.3
    try:
        for title in ("五常大米 新米", "五常大米 陈米"):
            random.seed(20261130)  # both writers draw the same segment name
            listing.title = title
            db.session.commit()
    finally:
        random.seed()
    assert outbox_rows() == 1  # the second write failed and waits
    listing.title = "宁夏枸杞 头茬"
    db.session.commit()
    assert outbox_rows() == 0
    assert found_ids(client, q="枸杞") == [listing.id]
