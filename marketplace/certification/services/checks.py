"""Counting public checks of a package code: once per client and day, never bots or previews.

A shopper who scans the code on a package sees how many others checked it before, and
when and where the first check was: a code copied onto other packages shows up as checked
elsewhere. That signal is worth something only if nobody can inflate it cheaply, so:

- the batch code (serial 0) is printed on every package of the batch and shown on product
  pages: it is never counted;
- HEAD requests, browser prefetches, link previews and crawlers (`VERIFY_BOT_USER_AGENTS`,
  or no user agent at all) are not counted, nor the cooperative's own members;
- a client counts once per code and day: a keyed hash of its address and user agent,
  salted with the day, so reloading counts nothing and no address is stored or linkable
  from one day to the next;
- one address adds at most `VERIFY_CLIENTS_PER_ADDRESS` clients per code and day, so
  rotating the user-agent string does not help either.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from urllib.parse import unquote

from flask import current_app
from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    String,
    bindparam,
    case,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.certification.services import access
from marketplace.certification.models import TraceCode, TraceCodeCheck
from marketplace.core.database import write_transaction
from marketplace.core.text import clean_name
from marketplace.extensions import db

#: Longest place name kept (a county's full name is far shorter).
MAX_PLACE_LENGTH = 80


@dataclass(frozen=True)
class CheckClient:
    """Who asks, as the view read it from the request (plain values only)."""

    address: str
    user_agent: str
    #: The place the trusted proxy named, or "" (see VERIFY_PLACE_HEADER).
    place: str = ""
    #: HEAD, or a prefetch the browser announced: nobody is looking at the page.
    passive: bool = False


@dataclass(frozen=True)
class ClientKeys:
    """The day's keyed hashes of a client: what makes its checks count once."""

    day: date
    client_hash: str
    address_hash: str


def is_bot(user_agent: str | None) -> bool:
    """True for crawlers, link previews and scripts, by the configured agent parts."""
    agent = (user_agent or "").strip().lower()
    if not agent:
        return True
    return any(part in agent for part in current_app.config["VERIFY_BOT_USER_AGENTS"])


def clean_place(raw: str | None) -> str:
    """A place as a proxy sent it, fit to store and show: no control or direction characters.

    Header values reach the app decoded as Latin-1 (WSGI); a proxy naming a Chinese county
    sends UTF-8 bytes, or percent-encodes them. Both are read back to text here.
    """
    text = raw or ""
    try:
        text = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    if "%" in text:
        text = unquote(text)
    return clean_name(text, longest=MAX_PLACE_LENGTH)


def keys_for(client: CheckClient, now: datetime) -> ClientKeys:
    """Hash the client with a key derived from the secret key and the day (UTC)."""
    day = now.date()
    salt = hmac.new(current_app.config["SECRET_KEY"].encode(), f"verify-check:{day.isoformat()}".encode(),
                    hashlib.sha256).digest()

    def digest(text: str) -> str:
        return hmac.new(salt, text.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]

    return ClientKeys(day, digest(f"{client.address}\n{client.user_agent}"), digest(client.address))


def counts(trace_code: TraceCode, cooperative_id: int, viewer, client: CheckClient | None) -> bool:
    """Whether this request may count as a check of `trace_code` at all."""
    if client is None or client.passive or trace_code.serial == 0:
        return False
    return not (access.is_member(viewer, cooperative_id) or is_bot(client.user_agent))


def seen_today():
    """A scalar subquery, correlated to TraceCode: did this client count today already?

    Run with `parameters(keys)`.
    """
    return select(func.count(TraceCodeCheck.id)).where(
        TraceCodeCheck.trace_code_id == TraceCode.id, TraceCodeCheck.day == bindparam("check_day", type_=Date),
        TraceCodeCheck.client_hash == bindparam("check_client")).scalar_subquery()


def same_address_today():
    """A scalar subquery, correlated to TraceCode: clients this address added today."""
    return select(func.count(TraceCodeCheck.id)).where(
        TraceCodeCheck.trace_code_id == TraceCode.id, TraceCodeCheck.day == bindparam("check_day", type_=Date),
        TraceCodeCheck.address_hash == bindparam("check_address")).scalar_subquery()


def parameters(keys: ClientKeys | None) -> dict:
    """The values of the subqueries above; no client (None) matches no row."""
    if keys is None:
        return {"check_day": date(1970, 1, 1), "check_client": "", "check_address": ""}
    return {"check_day": keys.day, "check_client": keys.client_hash, "check_address": keys.address_hash}


def worth_writing(seen: int, same_address: int) -> bool:
    """Skip the write (and SQLite's write lock) when the read already says it cannot count."""
    return not seen and same_address < current_app.config["VERIFY_CLIENTS_PER_ADDRESS"]


@cache
def _count_statements(dialect: str):
    """The INSERT and UPDATE of `record_check`, built once per process and dialect."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    trace_code_id = bindparam("trace_code_id", type_=Integer)
    day = bindparam("check_day", type_=Date)
    address = bindparam("check_address", type_=String)
    same_address = select(func.count(TraceCodeCheck.id)).where(
        TraceCodeCheck.trace_code_id == trace_code_id, TraceCodeCheck.day == day,
        TraceCodeCheck.address_hash == address).scalar_subquery()
    source = select(trace_code_id, day, bindparam("check_client", type_=String), address,
                    bindparam("now", type_=DateTime(timezone=True))
                    ).where(same_address < bindparam("limit", type_=Integer))
    add_client = (insert(TraceCodeCheck)
                  .from_select(["trace_code_id", "day", "client_hash", "address_hash", "checked_at"], source)
                  .on_conflict_do_nothing(index_elements=["trace_code_id", "day", "client_hash"])
                  .returning(TraceCodeCheck.id))
    moment = bindparam("now", type_=DateTime(timezone=True))
    place = bindparam("place", type_=String)
    raise_count = (update(TraceCode).where(TraceCode.id == trace_code_id).values(
        check_count=TraceCode.check_count + 1,
        first_checked_at=func.coalesce(TraceCode.first_checked_at, moment),
        first_checked_place=case((TraceCode.first_checked_at.is_(None), place),
                                 else_=TraceCode.first_checked_place),
        last_checked_at=moment,
        last_checked_place=place,
    ).returning(TraceCode.check_count, TraceCode.first_checked_at, TraceCode.first_checked_place,
                TraceCode.last_checked_at, TraceCode.last_checked_place))
    return add_client, raise_count


def record_check(trace_code: TraceCode, keys: ClientKeys, place: str, now: datetime) -> bool:
    """Count one check by a new client of the day, in one write transaction.

    The client's row is inserted only if absent and only while its address has added
    fewer than the allowed clients today (one INSERT … SELECT … WHERE … ON CONFLICT DO
    NOTHING); the count is raised by one UPDATE only when the row went in, so requests at
    once from the same client count once and requests from different clients all count.
    Returns whether it counted; the code's counters are refreshed on `trace_code`.
    """
    add_client, raise_count = _count_statements(db.session.get_bind().dialect.name)
    values = {"trace_code_id": trace_code.id, "now": now, "place": place,
              "limit": current_app.config["VERIFY_CLIENTS_PER_ADDRESS"], **parameters(keys)}
    session = db.session()
    # What the page already read stays loaded: only the counters change, and they are
    # set from the UPDATE's RETURNING below.
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        with write_transaction():
            # Core statements on the session's connection: with a dict of values, the ORM
            # would take them for a bulk INSERT or UPDATE by primary key.
            connection = db.session.connection()
            if connection.execute(add_client, values).scalar_one_or_none() is None:
                return False
            row = connection.execute(raise_count, values).one()
    finally:
        session.expire_on_commit = expire_on_commit
    for name, value in zip(("check_count", "first_checked_at", "first_checked_place",
                            "last_checked_at", "last_checked_place"), row):
        set_committed_value(trace_code, name, value)
    return True
