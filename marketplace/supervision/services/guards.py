"""What keeps a supervisor's measure in force: no seller's save puts a taken-down listing or
the listings of a frozen batch back on sale.

The catalog knows nothing of supervision, so the rule is added from here: a go-live rule
(which names the frozen batch in the seller's own list) and a check at every flush of a
listing whose status or batch changes, the one place every path through the catalog meets.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from marketplace.core.errors import DomainError
from marketplace.catalog.models import Listing, ListingStatus

_ON_SALE = (ListingStatus.ACTIVE, ListingStatus.SOLD_OUT)


def refuse_frozen_batch(title, description, batch, cooperative, *, lock: bool = True) -> None:
    """Go-live rule: a listing of a frozen batch stays off sale."""
    from marketplace.supervision.services.powers import is_frozen

    if batch is not None and is_frozen(batch.id):
        raise DomainError(_l("The market supervisor froze this batch: its listings stay off sale."), "batch_id")


def _changed(listing: Listing) -> bool:
    state = inspect(listing)
    return state.attrs.status.history.has_changes() or state.attrs.batch_id.history.has_changes()


def _check_listings(session: Session, _context, _instances) -> None:
    from marketplace.supervision.services.powers import is_frozen, is_taken_down

    candidates = [obj for obj in list(session.new) + list(session.dirty)
                  if isinstance(obj, Listing) and obj.status in _ON_SALE and _changed(obj)]
    if not candidates:
        return
    with session.no_autoflush:
        for listing in candidates:
            if listing.id is not None and is_taken_down(listing.id):
                raise DomainError(_l("The market supervisor took this listing down: it cannot go back on "
                                      "sale."), "status")
            if is_frozen(listing.batch_id):
                raise DomainError(_l("The market supervisor froze this batch: its listings stay off sale."),
                                   "batch_id")


def install() -> None:
    """Listen to every session's flush (once per process)."""
    if getattr(install, "done", False):
        return
    event.listen(Session, "before_flush", _check_listings)
    install.done = True
