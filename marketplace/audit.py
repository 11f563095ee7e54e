"""The append-only audit log: who decided what, when, why, under which standard version.

Rows are added in the same transaction as the decision they record, through `record()`.
No code path updates or deletes them: the ORM refuses it here, and the migration adds
database triggers that refuse it too.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.timeutil import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
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


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit row."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, _target):
    raise AuditLogIsAppendOnly("audit entries are never updated")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, _target):
    raise AuditLogIsAppendOnly("audit entries are never deleted")


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
    """Add an audit row to the current transaction (the caller commits with its decision)."""
    entry = AuditEntry(
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        actor_id=getattr(actor, "id", actor),
        reason=reason,
        county_code=county_code,
        standard_version=standard_version,
        public=public,
        details=details,
    )
    db.session.add(entry)
    return entry
