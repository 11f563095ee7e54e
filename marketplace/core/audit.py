"""The append-only audit log: who decided what, when, why, under which standard version.

Rows are added in the same transaction as the decision they record, through `record()`.
No code path updates or deletes them: the ORM refuses it here, and the migrations add
database triggers that refuse UPDATE, DELETE, TRUNCATE (PostgreSQL) and INSERT OR
REPLACE (SQLite). In production the app connects as a role that owns nothing and may
only read and append to this table (README, "Production").

Each row carries the hash of the row before it (a hash chain), so that even the tables'
owner cannot change or remove a row without `flask audit verify` noticing. The chain is
linked when the transaction commits: the rows wait in the session until then, and are
chained while holding the log's lock (an advisory lock on PostgreSQL; SQLite has only
one writer at a time), so that concurrent writers never fork it and the lock is held
only for the last moment of a transaction, never while it waits for other rows.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from sqlalchemy import JSON, ForeignKey, String, Text, event, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db

#: Session.info key of the entries recorded in the current transaction, in order.
_PENDING = "terroir_pending_audit"
#: The PostgreSQL advisory lock that serialises the linking of the chain.
CHAIN_LOCK_KEY = 0x7465_7272_6F69_72  # "terroir"


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=lambda: _naive_utc(datetime.now(timezone.utc)),
                                                 index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: Dotted verb, e.g. "authorization.approved", "order.paid", "standard.published".
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: What was decided on: "batch", "authorization", "order", "standard"…
    subject_type: Mapped[str] = mapped_column(String(40), index=True)
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    county_code: Mapped[str | None] = mapped_column(String(6), index=True)
    standard_version: Mapped[str | None] = mapped_column(String(80))
    #: Shown on public verify pages when true (no personal data goes in public rows).
    public: Mapped[bool] = mapped_column(default=False)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    #: `row_hash` of the row before this one ("" for the first row of the chain).
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    #: SHA-256 over this row's content and `previous_hash` (see `chain_hash`).
    row_hash: Mapped[str | None] = mapped_column(String(64))


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit row."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, _target):
    raise AuditLogIsAppendOnly("audit entries are never updated")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, _target):
    raise AuditLogIsAppendOnly("audit entries are never deleted")


def _naive_utc(moment: datetime) -> datetime:
    """Store times as naive UTC, read back identically by SQLite and PostgreSQL."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def chain_hash(previous_hash: str, *, created_at: datetime, actor_id, action: str, subject_type: str,
               subject_id: str, reason: str, county_code, standard_version, public: bool, details) -> str:
    """The hash of one audit row, linked to the row before it by `previous_hash`."""
    content = {
        "previous": previous_hash or "",
        "created_at": _naive_utc(created_at).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "reason": reason or "",
        "county_code": county_code,
        "standard_version": standard_version,
        "public": bool(public),
        "details": details if details is not None else {},
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    """Recompute the hash of a stored (or about to be stored) row."""
    return chain_hash(entry.previous_hash or "", created_at=entry.created_at, actor_id=entry.actor_id,
                      action=entry.action, subject_type=entry.subject_type, subject_id=entry.subject_id,
                      reason=entry.reason, county_code=entry.county_code,
                      standard_version=entry.standard_version, public=entry.public, details=entry.details)


def record(
    action: str,
    subject_type: str,
    subject_id,
    *,
    actor=None,
    reason: str = "",
    county_code: str | None = None,
    standard_version: str | None = None,
    public: bool = False,
    **details,
) -> AuditEntry:
    """Add an audit row to the current transaction (the caller commits with its decision).

    The row is written, linked into the hash chain, when that transaction commits; it is
    dropped with it if it rolls back.
    """
    entry = AuditEntry(
        created_at=_naive_utc(utcnow()),
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        actor_id=getattr(actor, "id", actor),
        reason=str(reason or ""),
        county_code=county_code,
        standard_version=standard_version,
        public=bool(public),
        # As the JSON column will give it back (tuples become lists, keys strings).
        details=json.loads(json.dumps(details, ensure_ascii=False, default=str)),
    )
    session = db.session()
    session.connection()  # a transaction to belong to: its rollback then drops the entry
    session.info.setdefault(_PENDING, []).append(entry)
    return entry


def _link_and_add(session: Session) -> None:
    """Chain the transaction's pending entries after the newest row, under the log's lock."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()  # the decision's own rows first: on SQLite this takes the write lock
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    previous = connection.execute(
        select(AuditEntry.row_hash).order_by(AuditEntry.id.desc()).limit(1)).scalar() or ""
    for entry in pending:
        entry.previous_hash = previous
        entry.row_hash = previous = hash_of(entry)
        session.add(entry)


def install_session_hooks() -> None:
    """Link pending entries at every commit, and drop them on rollback (once per process)."""
    if getattr(install_session_hooks, "done", False):
        return
    event.listen(Session, "before_commit", _link_and_add)

    @event.listens_for(Session, "after_soft_rollback")
    def _forget(session, _previous_transaction):
        if not session.in_transaction():
            session.info.pop(_PENDING, None)

    install_session_hooks.done = True


# -- proving the log whole ------------------------------------------------------------------

class ChainReport:
    """What `verify_chain` found: how many rows it checked, the newest hash, each break."""

    def __init__(self):
        self.checked = 0
        self.head = ""
        self.problems: list[tuple[int | None, str]] = []

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(expect_head: str | None = None, batch_size: int = 1000) -> ChainReport:
    """Walk the log oldest first and check every row's hash and its link to the row before.

    A changed row no longer matches its own hash; a removed row breaks the link of the one
    after it; rows removed from the start leave a first row that points at something.
    Rows removed from the end leave a shorter, intact chain: pass a head hash noted
    earlier (`expect_head`) to prove it is still in the log.
    """
    report = ChainReport()
    previous_hash, previous_id = "", None
    seen_expected = expect_head is None
    last_id = 0
    while True:
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.id > last_id)
                                  .order_by(AuditEntry.id).limit(batch_size)).all()
        if not rows:
            break
        for entry in rows:
            report.checked += 1
            if entry.row_hash is None:
                report.problems.append((entry.id, "has no hash"))
            elif hash_of(entry) != entry.row_hash:
                report.problems.append((entry.id, "was changed: its content does not match its hash"))
            if (entry.previous_hash or "") != previous_hash:
                if previous_id is None:
                    report.problems.append((entry.id, "does not start the chain: rows before it were removed"))
                else:
                    report.problems.append((entry.id, f"does not follow row {previous_id}: a row between "
                                                      "them was removed, or one of them was changed"))
            if expect_head is not None and entry.row_hash == expect_head:
                seen_expected = True
            previous_hash, previous_id = entry.row_hash or "", entry.id
            last_id = entry.id
        db.session.expunge_all()
    report.head = previous_hash
    if not seen_expected:
        report.problems.append((None, f"the head {expect_head} noted earlier is no longer in the log: "
                                      "rows were removed from its end"))
    return report


def app_role_grants(role: str) -> list[str]:
    """SQL (PostgreSQL) that lets `role` run the app without owning anything.

    The role reads and writes every table, but may only read and append audit rows: it
    can neither change, delete nor empty them, nor disable their triggers (only an
    owner can). Run it as the owner after every `flask db upgrade`.
    """
    quoted = '"' + role.replace('"', '""') + '"'
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_entries FROM {quoted}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {quoted}",
    ]
