"""Bump the trust version with every change that a public page may show, in that change's transaction.

Listeners on the app's session, installed once per process by `install()`:

- `before_flush`: any new, changed or deleted object of a watched class bumps the version
  (once per transaction), so no service can forget it;
- `do_orm_execute`: bulk UPDATE or DELETE statements on a watched class (stock
  reservations, the search outbox being emptied once the index holds a change) bump it too,
  and so does a SELECT … FOR UPDATE of one (the counter is always locked first);
- `after_commit`: the new version is written to Redis (when `REDIS_URL` is set), only ever
  upwards, so every worker and every node reads it with one GET.

Because the UPDATE of a counter row commits with the change itself, a reader that sees
the new version also sees the change: a page built afterwards can never be filed under a
version newer than what it shows.
"""
from __future__ import annotations

import logging
import random

from flask import current_app, g, has_app_context
from flask_sqlalchemy.session import Session as AppSession
from redis.exceptions import RedisError
from sqlalchemy import event, func, select, text, union_all

from marketplace.extensions import db

log = logging.getLogger(__name__)

#: Areas whose rows decide what a public page shows (badges, prices, stock, profiles).
WATCHED_MODULES = ("marketplace.catalog", "marketplace.certification", "marketplace.cooperatives",
                   "marketplace.standards", "marketplace.supervision", "marketplace.recalls")
#: Tables in those areas that never change a public page (a log written by each scan).
IGNORED_TABLES = frozenset({"trace_code_checks"})
#: Tables outside them that do: the search outbox is emptied once the index holds a change.
EXTRA_TABLES = frozenset({"search_outbox"})
REDIS_KEY = "terroir:trust_version"
#: Rows the counter is split into on PostgreSQL, so that concurrent writes do not queue on one.
SHARDS = 16
_BUMPED = "trust_version_bumped"
_RAISE_IN_REDIS = """
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
return redis.call('GET', KEYS[1])
"""


def install() -> None:
    """Listen to every app session (once per process)."""
    if getattr(install, "done", False):
        return
    event.listen(AppSession, "before_flush", _before_flush)
    event.listen(AppSession, "do_orm_execute", _on_orm_execute)
    event.listen(AppSession, "after_commit", _after_commit)
    event.listen(AppSession, "after_rollback", _forget)
    install.done = True


def is_watched_table(table_name: str | None, module: str) -> bool:
    if table_name in EXTRA_TABLES:
        return True
    return table_name not in IGNORED_TABLES and module.startswith(WATCHED_MODULES)


def _is_watched(obj) -> bool:
    cls = type(obj)
    return is_watched_table(getattr(cls, "__tablename__", None), cls.__module__)


def _before_flush(session, _flush_context, _instances) -> None:
    if session.info.get(_BUMPED):
        return
    touched = [*session.new, *session.deleted]
    touched += [obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    if any(_is_watched(obj) for obj in touched):
        _bump(session)


def _on_orm_execute(state) -> None:
    """Bulk writes bump; so does locking a watched row (SELECT … FOR UPDATE), before the lock.

    Taking the counter's lock before any watched row's keeps one lock order on PostgreSQL:
    otherwise a transaction holding a listing's row lock and waiting for the counter could
    deadlock with one holding the counter and asking for that listing.
    """
    if state.session.info.get(_BUMPED):
        return
    locking = state.is_select and getattr(state.statement, "_for_update_arg", None) is not None
    if not (state.is_update or state.is_delete or locking):
        return
    if any(is_watched_table(mapper.local_table.name, mapper.class_.__module__) for mapper in state.all_mappers):
        _bump(state.session)


def _bump(session) -> None:
    """Raise the counter in the session's transaction (rows are created on first use).

    On PostgreSQL the counter is split into `SHARDS` rows and a transaction raises one that
    no other transaction holds (SKIP LOCKED): with one row, every watched write (each
    checkout's stock reservation) waited for the previous one's commit. The version is the
    sum of the rows; each commit adds exactly one and commits become visible in one order,
    so each sum still names one state, and a reader who sees a change sees its sum.
    SQLite writes one transaction at a time anyway: it keeps the single row.
    """
    connection = session.connection()
    shard = 1
    if connection.dialect.name == "postgresql":
        shard = connection.execute(text(
            "SELECT id FROM trust_version ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED")).scalar()
        if shard is None:  # every row busy, or none yet: make them all, then queue on one
            connection.execute(text("INSERT INTO trust_version (id, version) SELECT n, 0 "
                                    "FROM generate_series(1, :shards) AS n ON CONFLICT (id) DO NOTHING"),
                               {"shards": SHARDS})
            shard = random.randint(1, SHARDS)
    raised = connection.execute(text("UPDATE trust_version SET version = version + 1 WHERE id = :shard"),
                                {"shard": shard})
    if raised.rowcount == 0:
        connection.execute(text("INSERT INTO trust_version (id, version) VALUES (:shard, 1)"), {"shard": shard})
    session.info[_BUMPED] = True


def _after_commit(session) -> None:
    if not session.info.pop(_BUMPED, False) or not has_app_context():
        return
    g.pop("trust_version", None)
    client = redis_client()
    if client is None:
        return
    try:
        _mirror(client, _version_in_database())
    except RedisError:
        log.warning("trust version not mirrored to Redis; readers fall back to the database", exc_info=True)


def _forget(session) -> None:
    session.info.pop(_BUMPED, None)


def _mirror(client, version) -> int:
    return int(client.eval(_RAISE_IN_REDIS, 1, REDIS_KEY, int(version or 0)))


def redis_client():
    """This app's Redis connection for the trust version, or None without `REDIS_URL`."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    clients = current_app.extensions.setdefault("terroir_trust_redis", {})
    if url not in clients:
        import redis

        clients[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return clients[url]


def _version_in_database() -> int:
    with db.engine.connect() as connection:
        return version_in(connection)


def version_in(connection) -> int:
    """The trust version as this connection's snapshot sees it: the sum of the counter's rows."""
    return int(connection.execute(text("SELECT coalesce(sum(version), 0) FROM trust_version")).scalar() or 0)


def advance_to(connection, version: int) -> None:
    """Raise the version to at least `version` (a restore: copies filed under lower numbers are dead)."""
    missing = version - version_in(connection)
    if missing <= 0:
        return
    raised = connection.execute(text("UPDATE trust_version SET version = version + :n WHERE id = 1"), {"n": missing})
    if raised.rowcount == 0:
        connection.execute(text("INSERT INTO trust_version (id, version) VALUES (1, :n)"), {"n": missing})


def seconds_until_next_lapse(limit: int) -> int:
    """Seconds until the next certificate or authorization runs out by the clock (at most `limit`).

    Such a lapse changes no row, so it bumps no version: a copy must not outlive it. The
    same holds for a pre-sale whose ships-from day comes (its "pre-sale" tag goes); both are
    read in one statement.
    """
    from marketplace.catalog.listing_terms import shop_today
    from marketplace.catalog.models import Listing
    from marketplace.catalog.presale import presale_end_moment
    from marketplace.certification.models import BatchCertificate, GIAuthorization
    from marketplace.core.timeutil import as_utc, utcnow

    now = utcnow()
    upcoming = union_all(*(select(model.valid_until.label("moment")).where(model.valid_until > now)
                           for model in (BatchCertificate, GIAuthorization))).subquery()
    next_presale_day = select(func.min(Listing.presale_ships_from)).where(
        Listing.presale_ships_from > shop_today(), Listing.batch_id.is_(None)).scalar_subquery()
    moment, presale_day = db.session.execute(
        select(select(func.min(upcoming.c.moment)).scalar_subquery(), next_presale_day)).one()
    ahead = [] if moment is None else [(as_utc(moment) - now).total_seconds()]
    if presale_day is not None:
        end = presale_end_moment(presale_day, current_app.config["BABEL_DEFAULT_TIMEZONE"])
        ahead.append((end - now).total_seconds())
    return int(min([limit, *ahead]))


def current_version() -> int:
    """The trust version for this request: read once (one Redis GET, else one small query)."""
    if "trust_version" in g:
        return g.trust_version
    client = redis_client()
    version = None
    if client is not None:
        try:
            stored = client.get(REDIS_KEY)
            version = int(stored) if stored is not None else _mirror(client, _version_in_database())
        except RedisError:
            version = None
    if version is None:
        version = _version_in_database()
    g.trust_version = version
    return version
