"""Who may see or change which batches, listings and lab reports.

Every seller page loads its object through these functions, which answer None when the
user may not have it; views turn that into a 404, so another cooperative's batch numbers
cannot even be probed. The certification area reuses `can_view_lab_report`.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.catalog.models import Batch, Listing
from marketplace.cooperatives.models import Membership
from marketplace.extensions import db


def member_cooperative_ids(user) -> set[int]:
    """Ids of the cooperatives `user` belongs to (empty for guests)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(Membership.cooperative_id).where(Membership.user_id == user.id)))


def is_member(user, cooperative_id: int | None) -> bool:
    return cooperative_id is not None and cooperative_id in member_cooperative_ids(user)


def batch_for_member(user, batch_id: int) -> Batch | None:
    """The batch if `user` belongs to its cooperative, else None."""
    batch = db.session.get(Batch, batch_id)
    if batch is None or not is_member(user, batch.cooperative_id):
        return None
    return batch


def listing_for_member(user, listing_id: int) -> Listing | None:
    """The listing (photos loaded) if `user` belongs to its cooperative, else None."""
    listing = db.session.scalar(
        select(Listing).options(selectinload(Listing.photos)).where(Listing.id == listing_id))
    if listing is None or not is_member(user, listing.cooperative_id):
        return None
    return listing


def can_view_lab_report(user, batch: Batch) -> bool:
    """Tell whether `user` may open the lab report of `batch`.

    Members of the batch's cooperative, market supervisors, and officials appointed to
    the county where the cooperative is registered (who review it, wherever the batch
    says it grew); nobody else, not even a buyer.
    """
    if batch is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_supervisor", False):
        return True
    if batch.cooperative.county_code in user.county_codes:
        return True
    return is_member(user, batch.cooperative_id)


def lab_report_of(user, batch_id: int) -> Batch | None:
    """The batch whose lab report `user` asks for, if it has one and they may read it."""
    batch = db.session.get(Batch, batch_id)
    if batch is None or not batch.lab_report_file or not can_view_lab_report(user, batch):
        return None
    return batch


def can_view_listing(user, listing: Listing) -> bool:
    """Public listings (live or sold out) are seen by all; others only by their cooperative."""
    return listing.is_public or is_member(user, listing.cooperative_id)
