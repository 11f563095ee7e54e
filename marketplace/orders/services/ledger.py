"""Writing the settlement ledger: one function per fact that moves a cooperative's money.

Each is called inside the transaction of the event that causes it (a sub-order marked
paid, money given back for it, a statement paid out), so the ledger can never disagree
with the orders it is about: both commit, or neither does.

Commission: `PLATFORM_COMMISSION_PERMILLE` thousandths of what the cooperative keeps of a
sub-order (what was paid minus what was given back), rounded half up to the minor unit.
After every sale or refund the commission entries of a sub-order are brought to exactly
that figure, so a refund gives back the commission on what it returns, and what a
sub-order leaves the cooperative (kept minus commission) is never negative.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import EntryKind, LedgerEntry, SubOrder


def commission_on(kept_minor: int, permille: int) -> int:
    """The commission on `kept_minor`: permille thousandths, rounded half up (integers only)."""
    return (kept_minor * permille + 500) // 1000


def _permille() -> int:
    return int(current_app.config.get("PLATFORM_COMMISSION_PERMILLE", 0))


def _append(sub: SubOrder, kind: EntryKind, amount_minor: int, reason: str) -> LedgerEntry | None:
    if amount_minor == 0:
        return None
    entry = LedgerEntry(cooperative_id=sub.cooperative_id, sub_order_id=sub.id, kind=kind,
                        amount_minor=amount_minor, currency=sub.order.currency, reason=reason[:40])
    db.session.add(entry)
    return entry


def _sum(sub_order_id: int, *kinds: EntryKind) -> int:
    db.session.flush()
    return db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0)).where(
        LedgerEntry.sub_order_id == sub_order_id, LedgerEntry.kind.in_(kinds))) or 0


def _settle_commission(sub: SubOrder, reason: str) -> None:
    kept = _sum(sub.id, EntryKind.SALE, EntryKind.REFUND)
    charged = -_sum(sub.id, EntryKind.COMMISSION)
    _append(sub, EntryKind.COMMISSION, charged - commission_on(kept, _permille()), reason)


def record_sale(sub: SubOrder) -> LedgerEntry | None:
    """The sub-order was paid: the cooperative is owed its total, less commission (once only)."""
    if _sum(sub.id, EntryKind.SALE):
        return None
    entry = _append(sub, EntryKind.SALE, sub.total_minor, "paid")
    _settle_commission(sub, "paid")
    return entry


def record_refund(sub: SubOrder, amount_minor: int, reason: str) -> int:
    """Money went back to the buyer for this sub-order: count it as refunded, and owe it back.

    What a sub-order counts as refunded never passes its total, so a refund reported twice
    (by us and by the provider) is counted once. Returns what was newly counted. Every kind
    of refund (cancellation, provider, return after delivery) goes through here.
    """
    before = sub.refunded_minor or 0
    after = min(sub.total_minor, before + max(amount_minor, 0))
    new = after - before
    if new <= 0:
        return 0
    sub.refunded_minor = after
    if _sum(sub.id, EntryKind.SALE):
        _append(sub, EntryKind.REFUND, -new, reason)
        _settle_commission(sub, reason)
    return new
