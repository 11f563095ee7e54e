"""Monthly statements of the settlement ledger, and paying a statement out.

A statement is a cooperative's entries of one calendar month (in the site's time zone)
between its opening balance (everything before the month) and its closing balance. Paying
a statement out transfers what is owed up to the end of that month and not yet paid out:
a payout entry (negative) appended in the same transaction as the payout row, which a
unique (cooperative, month) makes happen once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.core.audit import record
from marketplace.cooperatives.models import Cooperative
from marketplace.cooperatives.services import membership_of
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import EntryKind, LedgerEntry, Payout
from marketplace.orders.services.errors import DomainError
from marketplace.core.timeutil import utcnow

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Statement:
    cooperative: Cooperative
    month: str
    currency: str
    opening_minor: int
    entries: list
    closing_minor: int
    payout: Payout | None
    #: What paying this statement out would transfer now (0 when nothing is owed or not yet due).
    payable_minor: int
    #: True once the month is over (only then may it be paid out).
    ended: bool


def parse_month(text: str | None) -> tuple[int, int]:
    """Read "YYYY-MM"; refuse anything else, naming the field."""
    found = _MONTH.match((text or "").strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or not 2000 <= int(found.group(1)) <= 2999:
        raise DomainError(_l("Give the month as YYYY-MM."), "month", status=404)
    return int(found.group(1)), int(found.group(2))


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, in UTC, months counted in the site's zone."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    following = date(year + month // 12, month % 12 + 1, 1)
    start = datetime.combine(date(year, month, 1), time.min, tzinfo=zone)
    end = datetime.combine(following, time.min, tzinfo=zone)
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


def current_month() -> str:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return utcnow().astimezone(zone).strftime("%Y-%m")


def may_read(user, cooperative_id: int) -> bool:
    """A cooperative's statements are read by its members and by supervisors, nobody else."""
    return bool(getattr(user, "is_supervisor", False)) or membership_of(user, cooperative_id) is not None


def _cooperative_for(user, cooperative_id: int) -> Cooperative:
    cooperative = db.session.get(Cooperative, cooperative_id)
    if cooperative is None or not may_read(user, cooperative_id):
        raise DomainError(_l("Statement not found."), status=404)
    return cooperative


def _balance(cooperative_id: int, before: datetime | None = None, kinds=None) -> int:
    query = select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0)).where(
        LedgerEntry.cooperative_id == cooperative_id)
    if before is not None:
        query = query.where(LedgerEntry.created_at < before)
    if kinds is not None:
        query = query.where(LedgerEntry.kind.in_(kinds))
    return int(db.session.scalar(query) or 0)


_EARNED = (EntryKind.SALE, EntryKind.REFUND, EntryKind.COMMISSION)


def _payable(cooperative_id: int, end: datetime) -> int:
    """Earned up to `end`, less everything already paid out (whenever): never paid twice."""
    return _balance(cooperative_id, end, _EARNED) + _balance(cooperative_id, kinds=(EntryKind.PAYOUT,))


def statement(user, cooperative_id: int, month: str) -> Statement:
    """The statement of one cooperative for one month, for a member or a supervisor."""
    cooperative = _cooperative_for(user, cooperative_id)
    year, number = parse_month(month)
    start, end = month_bounds(year, number)
    entries = list(db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.cooperative_id == cooperative_id, LedgerEntry.created_at >= start,
                                  LedgerEntry.created_at < end).order_by(LedgerEntry.created_at, LedgerEntry.id)))
    opening = _balance(cooperative_id, start)
    payout = db.session.scalar(select(Payout).where(Payout.cooperative_id == cooperative_id,
                                                    Payout.month == f"{year:04d}-{number:02d}"))
    ended = utcnow() >= end
    payable = max(_payable(cooperative_id, end), 0) if ended and payout is None else 0
    return Statement(cooperative=cooperative, month=f"{year:04d}-{number:02d}",
                     currency=current_app.config["CURRENCY"], opening_minor=opening, entries=entries,
                     closing_minor=opening + sum(entry.amount_minor for entry in entries), payout=payout,
                     payable_minor=payable, ended=ended)


def months_with_entries(cooperative_id: int) -> list[str]:
    """Every month from the cooperative's first entry to this one, newest first."""
    first = db.session.scalar(select(func.min(LedgerEntry.created_at))
                              .where(LedgerEntry.cooperative_id == cooperative_id))
    this_month = current_month()
    if first is None:
        return [this_month]
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if first.tzinfo is None:
        first = first.replace(tzinfo=ZoneInfo("UTC"))
    year, month = first.astimezone(zone).year, first.astimezone(zone).month
    months = []
    while f"{year:04d}-{month:02d}" <= this_month:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[::-1]


def balances() -> list[tuple[Cooperative, int]]:
    """Every cooperative with ledger entries and what it is owed now, for supervisors."""
    rows = db.session.execute(
        select(Cooperative, func.sum(LedgerEntry.amount_minor)).join(
            LedgerEntry, LedgerEntry.cooperative_id == Cooperative.id)
        .group_by(Cooperative.id).order_by(Cooperative.name))
    return [(cooperative, int(total or 0)) for cooperative, total in rows]


def pay_out(user, cooperative_id: int, month: str, reference: str = "") -> Payout:
    """A supervisor records that a month's statement was transferred: once, audited."""
    if not getattr(user, "is_supervisor", False):
        raise DomainError(_l("Only a market supervisor can pay a statement out."), status=403)
    year, number = parse_month(month)
    label = f"{year:04d}-{number:02d}"
    _, end = month_bounds(year, number)
    try:
        with write_transaction():
            return _record_payout(user, cooperative_id, label, end, reference)
    except IntegrityError:
        raise DomainError(_l("This statement was already paid out."), status=409) from None


def _record_payout(user, cooperative_id: int, label: str, end: datetime, reference: str) -> Payout:
    # Locking the cooperative row serialises payouts of one cooperative (SQLite: one writer).
    cooperative = db.session.scalar(select(Cooperative).where(Cooperative.id == cooperative_id)
                                    .with_for_update())
    if cooperative is None:
        raise DomainError(_l("Statement not found."), status=404)
    if utcnow() < end:
        raise DomainError(_l("A month can be paid out only once it is over."), "month", status=409)
    if db.session.scalar(select(Payout.id).where(Payout.cooperative_id == cooperative_id, Payout.month == label)):
        raise DomainError(_l("This statement was already paid out."), status=409)
    amount = _payable(cooperative_id, end)
    if amount <= 0:
        raise DomainError(_l("Nothing is owed to the cooperative for this statement."), status=409)
    payout = Payout(cooperative_id=cooperative_id, month=label, amount_minor=amount,
                    currency=current_app.config["CURRENCY"], reference=(reference or "").strip()[:80],
                    paid_by_id=user.id)
    db.session.add(payout)
    db.session.flush()
    db.session.add(LedgerEntry(cooperative_id=cooperative_id, payout_id=payout.id, kind=EntryKind.PAYOUT,
                               amount_minor=-amount, currency=payout.currency, reason="payout"))
    record("statement.paid_out", "cooperative", cooperative_id, actor=user, month=label, amount_minor=amount,
           reference=payout.reference, payout_id=payout.id)
    return payout
