"""The GI badge rule: the one place that decides what a listing may claim.

Listing pages, search results, the API and the verify page all call `badge_for` (or
`badges_for` for many listings at once) and nothing else, so a claim can never be shown in
one place and withdrawn in another.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from marketplace.timeutil import utcnow


class BadgeState(str, enum.Enum):
    #: The listing shows the GI badge.
    CERTIFIED = "certified"
    #: Linked to a batch that passed validation; no valid certificate yet.
    AWAITING_CERTIFICATION = "awaiting_certification"
    #: No GI claim may be shown.
    NONE = "none"


@dataclass(frozen=True)
class GIBadge:
    state: BadgeState
    standard_slug: str | None = None
    trace_code: str | None = None

    @property
    def shown(self) -> bool:
        return self.state == BadgeState.CERTIFIED


NO_BADGE = GIBadge(BadgeState.NONE)


def badge_for(listing, at: datetime | None = None) -> GIBadge:
    """Decide the badge of one listing at the moment `at` (now by default)."""
    return badges_for([listing], at).get(listing.id, NO_BADGE)


def badges_for(listings, at: datetime | None = None) -> dict[int, GIBadge]:
    """Decide the badges of many listings (one query per kind of row, not per listing)."""
    moment = at or utcnow()
    del moment  # used once certificates exist
    result: dict[int, GIBadge] = {}
    for listing in listings:
        batch = listing.batch
        if batch is not None and batch.validation_passed:
            result[listing.id] = GIBadge(BadgeState.AWAITING_CERTIFICATION, batch.standard_slug)
        else:
            result[listing.id] = NO_BADGE
    return result
