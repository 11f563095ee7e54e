"""The settlement ledger: what each cooperative is owed for its sub-orders, entry by entry.

Entries are only ever appended, in the transaction of the payment, refund or payout that
causes them: the ORM refuses to change or remove one, and database triggers (created with
the table, on both backends) refuse UPDATE and DELETE. A cooperative's balance is the sum
of its entries; a monthly statement is the entries of a month between two balances.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    DDL,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class EntryKind(str, enum.Enum):
    #: The buyer paid for the sub-order (goods and shipping): positive.
    SALE = "sale"
    #: Money given back to the buyer for the sub-order: negative.
    REFUND = "refund"
    #: The platform's commission (negative), or commission given back after a refund (positive).
    COMMISSION = "commission"
    #: Money transferred to the cooperative when a statement was paid out: negative.
    PAYOUT = "payout"


class LedgerEntry(db.Model):
    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("amount_minor <> 0", name="amount_not_zero"),
        Index("ix_ledger_entries_cooperative_created", "cooperative_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    #: The sub-order the money is for (none for a payout).
    sub_order_id: Mapped[int | None] = mapped_column(ForeignKey("sub_orders.id"), index=True)
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_payouts.id"))
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind))
    #: Signed, in minor units: what this entry adds to what the cooperative is owed.
    amount_minor: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3))
    #: Why, in a word: the refund's reason, "paid", "payout"…
    reason: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sub_order: Mapped[SubOrder | None] = relationship()  # noqa: F821


class Payout(db.Model):
    """A month's statement paid out to a cooperative: once per cooperative and month."""

    __tablename__ = "ledger_payouts"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "month"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    #: The statement's month, "YYYY-MM".
    month: Mapped[str] = mapped_column(String(7))
    amount_minor: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3))
    #: The bank transfer's reference, as the supervisor typed it.
    reference: Mapped[str] = mapped_column(String(80), default="")
    paid_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove a ledger entry."""


@event.listens_for(LedgerEntry, "before_update")
def _refuse_update(_mapper, _connection, _target):
    raise LedgerIsAppendOnly("ledger entries are never updated")


@event.listens_for(LedgerEntry, "before_delete")
def _refuse_delete(_mapper, _connection, _target):
    raise LedgerIsAppendOnly("ledger entries are never deleted")


#: The database-level refusal, the same statements as the migration runs.
POSTGRES_TRIGGERS = (
    """CREATE OR REPLACE FUNCTION ledger_entries_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'ledger entries are append-only';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()""",
    """CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()""",
)
SQLITE_TRIGGERS = tuple(
    f"""CREATE TRIGGER ledger_entries_no_{verb.lower()} BEFORE {verb} ON ledger_entries
    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END"""
    for verb in ("UPDATE", "DELETE")
) + (
    """CREATE TRIGGER ledger_entries_no_replace BEFORE INSERT ON ledger_entries
    WHEN EXISTS (SELECT 1 FROM ledger_entries WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END""",
)

for _statement in POSTGRES_TRIGGERS:
    event.listen(LedgerEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
for _statement in SQLITE_TRIGGERS:
    event.listen(LedgerEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
