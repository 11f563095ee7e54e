"""What supervision adds to the public product and cooperative pages, read in one call each."""
from __future__ import annotations

from dataclasses import dataclass

from marketplace.supervision.models import Sanction
from marketplace.supervision.services.reviews import (
    ReviewSummary,
    cooperative_reviews,
    listing_reviews,
)
from marketplace.supervision.services.seller_record import (
    SellerRecord,
    public_sanctions,
    seller_record,
)


@dataclass(frozen=True)
class ListingPanel:
    listing_id: int
    reviews: ReviewSummary


@dataclass(frozen=True)
class CooperativePanel:
    cooperative_id: int
    reviews: ReviewSummary
    record: SellerRecord
    sanctions: list[Sanction]


def listing_panel(listing_id: int) -> ListingPanel:
    return ListingPanel(listing_id, listing_reviews(listing_id))


def cooperative_panel(cooperative_id: int) -> CooperativePanel:
    return CooperativePanel(cooperative_id, cooperative_reviews(cooperative_id), seller_record(cooperative_id),
                            public_sanctions(cooperative_id))
