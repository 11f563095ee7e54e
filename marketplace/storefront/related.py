"""What the marketplace holds for one GI product: authorised cooperatives, live listings."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.catalog.models import Batch, Listing, ListingStatus
from marketplace.certification.services.overview import authorized_cooperatives
from marketplace.extensions import db


def related_to_standard(slug: str, limit: int = 24) -> dict:
    listings = db.session.scalars(
        select(Listing)
        .join(Batch, Listing.batch_id == Batch.id)
        .where(Batch.standard_slug == slug, Listing.status == ListingStatus.ACTIVE)
        .options(selectinload(Listing.photos), selectinload(Listing.cooperative))
        .order_by(Listing.created_at.desc())
        .limit(limit)
    ).all()
    return {"listings": listings, "authorized": authorized_cooperatives(slug)}
