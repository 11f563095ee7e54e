"""Keep the index in step with the database: after each commit, re-index what it touched.

During a flush, the listings a change affects are collected: a listing itself, its
photos, its batch, its cooperative, the county of that cooperative, and any row of the
certification area that names a batch, a cooperative or a listing (certificates and
authorizations, whatever their class names). Their ids are written to `search_outbox`
in the same transaction, so they survive a worker that dies right after its commit.

After the commit, the ids are applied to the index (the listings are read again, in a
fresh session, once the index's write lock is held) and the outbox rows removed. On a
rollback the ids are dropped with the outbox rows. Anything that fails here is logged,
never shown: the shopper's change has committed, and what is left in the outbox is
applied by the next drain (`drain_outbox`, run now and then after commits and by
`flask search sync`). Whatever the index lost can always be rebuilt from the database
with `flask search reindex`.

Changes made with bulk UPDATE statements bypass the session's objects: the orders area
announces its stock reservations (`listings_availability_changed`), and any other
service that changes listings that way calls `touch_listings(ids)` in its transaction.
"""
from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from datetime import timedelta

from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import delete, event, insert, select

from marketplace.catalog.models import Batch, Listing, ListingPhoto
from marketplace.cooperatives.models import Cooperative, County
from marketplace.core.database import end_read, write_transaction
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders.signals import listings_availability_changed
from marketplace.search import index
from marketplace.search.backends import SearchUnavailable
from marketplace.search.models import SearchOutbox

log = logging.getLogger(__name__)

PENDING = "search_pending_listings"
TOKEN = "search_outbox_token"
#: Areas whose rows can change what a listing's search document says.
WATCHED_MODULES = ("marketplace.catalog", "marketplace.certification", "marketplace.cooperatives")
_last_drain = {"at": 0.0}


def install() -> None:
    """Listen to every app session's flushes and commits (once per process)."""
    if getattr(install, "done", False):
        return
    event.listen(AppSession, "after_flush", _collect)
    event.listen(AppSession, "after_commit", _apply_after_commit)
    event.listen(AppSession, "after_rollback", _forget)
    # Stock reservations change listings by bulk UPDATE; the orders area says which.

    listings_availability_changed.connect(_availability_changed, weak=False)
    install.done = True


def _availability_changed(_sender, listing_ids=(), **_extra) -> None:
    touch_listings(listing_ids)


def touch_listings(listing_ids: Iterable[int], session=None) -> None:
    """Mark listings as changed in the current transaction (for bulk statements)."""
    session = session or db.session()
    _remember(session, {int(i) for i in listing_ids})


def _affected(session, instances) -> set[int]:

    listings: set[int] = set()
    batches: set[int] = set()
    cooperatives: set[int] = set()
    counties: set[str] = set()
    for instance in instances:
        if isinstance(instance, Listing):
            listings.add(instance.id)
        elif isinstance(instance, ListingPhoto):
            listings.add(instance.listing_id)
        elif isinstance(instance, Batch):
            batches.add(instance.id)
        elif isinstance(instance, Cooperative):
            cooperatives.add(instance.id)
        elif isinstance(instance, County):
            counties.add(instance.code)
        elif type(instance).__module__.startswith(WATCHED_MODULES):
            for attribute, bucket in (("listing_id", listings), ("batch_id", batches),
                                      ("cooperative_id", cooperatives)):
                value = getattr(instance, attribute, None)
                if isinstance(value, int):
                    bucket.add(value)
    connection = session.connection()
    if batches:
        listings.update(connection.execute(select(Listing.id).where(Listing.batch_id.in_(batches))).scalars())
    if counties:
        cooperatives.update(connection.execute(
            select(Cooperative.id).where(Cooperative.county_code.in_(counties))).scalars())
    if cooperatives:
        listings.update(connection.execute(
            select(Listing.id).where(Listing.cooperative_id.in_(cooperatives))).scalars())
    listings.discard(None)
    return listings


def _collect(session, _flush_context) -> None:
    if not has_app_context() or "terroir_search" not in current_app.extensions:
        return
    changed = [*session.new, *session.dirty, *session.deleted]
    if not changed:
        return
    ids = _affected(session, changed)
    if ids:
        _remember(session, ids)


def _remember(session, ids: set[int]) -> None:
    pending: set[int] = session.info.setdefault(PENDING, set())
    new = sorted(ids - pending)
    if not new:
        return
    token = session.info.setdefault(TOKEN, uuid.uuid4().hex)
    session.connection().execute(
        insert(SearchOutbox), [{"listing_id": i, "commit_token": token, "created_at": utcnow()} for i in new])
    pending.update(new)


def _forget(session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(TOKEN, None)


def _apply_after_commit(session) -> None:
    ids = session.info.pop(PENDING, None)
    token = session.info.pop(TOKEN, None)
    if not has_app_context() or "terroir_search" not in current_app.extensions:
        return
    app = current_app._get_current_object()
    if ids:
        # A fresh app context gives a fresh db.session: the committed one cannot run SQL
        # inside this hook, and the badge rule reads through db.session.
        with app.app_context():
            apply_listings(ids, token)
    grace = app.config["SEARCH_OUTBOX_GRACE_SECONDS"]
    if time.monotonic() - _last_drain["at"] > grace:
        _last_drain["at"] = time.monotonic()
        with app.app_context():
            drain_outbox(older_than=timedelta(seconds=grace))


def apply_listings(ids: Iterable[int], token: str | None = None) -> bool:
    """Apply listings to the index now, then clear their outbox rows; never raise.

    With a single-writer backend (Whoosh), whoever gets the lock also applies what the
    outbox holds for the others, and a worker whose rows another has applied stops
    waiting: under many writers the index commits in groups instead of in a long queue.
    """
    search = index.backend()
    wanted = {int(i) for i in ids}
    try:
        if not search.single_writer or token is None:
            index.index_listings(wanted)
            if token:
                _delete_rows(SearchOutbox.commit_token == token)
            return True
        deadline = time.monotonic() + current_app.config["SEARCH_WRITER_TIMEOUT"]
        while True:
            claimed: list = []

            def claim() -> set[int]:
                rows = _outbox_rows(limit=2000)
                claimed.extend(rows)
                return wanted | {row.listing_id for row in rows}

            try:
                search.apply(claim, index.load_documents, timeout=0.5)
            except SearchUnavailable:
                if not _has_rows(token):
                    return True  # another worker applied them with its own
                if time.monotonic() > deadline:
                    raise
                continue
            _delete_rows(_these_rows(claimed) | (SearchOutbox.commit_token == token))
            return True
    except Exception:
        end_read()
        log.warning("search index update postponed to the next drain", exc_info=True)
        return False


def _has_rows(token: str) -> bool:
    found = db.session.scalar(select(SearchOutbox.id).where(SearchOutbox.commit_token == token).limit(1))
    end_read()
    return found is not None


def _outbox_rows(limit: int, older_than: timedelta | None = None) -> list:
    """The oldest outbox rows (id, token, listing), read in a transaction of their own."""
    query = (select(SearchOutbox.id, SearchOutbox.commit_token, SearchOutbox.listing_id)
             .order_by(SearchOutbox.id).limit(limit))
    if older_than is not None:
        query = query.where(SearchOutbox.created_at < utcnow() - older_than)
    rows = db.session.execute(query).all()
    end_read()
    return rows


def _these_rows(rows):
    """Match exactly these outbox rows (ids are never handed out twice: see SearchOutbox)."""
    return SearchOutbox.id.in_([row.id for row in rows])


def _delete_rows(condition) -> None:
    with write_transaction():
        db.session.execute(delete(SearchOutbox).where(condition))


def drain_outbox(older_than: timedelta | None = None, limit: int = 2000) -> int:
    """Apply what the outbox still holds (left by a failed or interrupted update); never raise."""
    try:
        rows = _outbox_rows(limit, older_than)
        if not rows:
            return 0
        index.index_listings({row.listing_id for row in rows})
        _delete_rows(_these_rows(rows))
        return len({row.listing_id for row in rows})
    except Exception:
        end_read()
        log.warning("search outbox drain failed; it will be tried again", exc_info=True)
        return 0
