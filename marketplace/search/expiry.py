"""Claims that lapse by the clock: keep the certified facet right without a scheduled job.

Revoking a certificate changes a row, and the after-commit sync re-indexes its listings.
A certificate or authorization that simply reaches its `valid_until` changes nothing in the
database, so before each search the listings whose claim lapsed since the last look (in
this process) are re-indexed. The window is a few seconds wide in normal traffic, so the
query is cheap; re-indexing a listing twice (several workers) is harmless.
"""
from __future__ import annotations

import threading
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, select, union

from marketplace.catalog.models import Batch, Listing
from marketplace.certification.models import BatchCertificate, GIAuthorization
from marketplace.core.database import end_read
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow
from marketplace.search.sync import apply_listings

_lock = threading.Lock()
_last_look: dict[str, object] = {"at": None}


def lapsed_listing_ids(since, until) -> set[int]:
    """Listings whose certificate or authorization ran out in (since, until]."""
    by_certificate = (
        select(Listing.id)
        .join(Batch, Listing.batch_id == Batch.id)
        .join(BatchCertificate, BatchCertificate.batch_id == Batch.id)
        .where(BatchCertificate.valid_until > since, BatchCertificate.valid_until <= until)
    )
    by_authorization = (
        select(Listing.id)
        .join(Batch, Listing.batch_id == Batch.id)
        .join(GIAuthorization, and_(GIAuthorization.cooperative_id == Batch.cooperative_id,
                                    GIAuthorization.standard_slug == Batch.standard_slug))
        .where(GIAuthorization.valid_until > since, GIAuthorization.valid_until <= until)
    )
    return set(db.session.scalars(union(by_certificate, by_authorization)))


def refresh_lapsed_claims() -> int:
    """Re-index the listings whose GI claim lapsed since this process last looked."""
    now = utcnow()
    with _lock:
        since = _last_look["at"] or now - timedelta(days=current_app.config["SEARCH_EXPIRY_LOOKBACK_DAYS"])
        _last_look["at"] = now
    ids = lapsed_listing_ids(since, now)
    end_read()  # before the index write takes its lock
    if ids:
        apply_listings(ids)
    return len(ids)
