"""What the seller pages show: the cooperative being worked on, and its figures.

A user in several cooperatives picks one; the choice is remembered in the session by the
view, but it is only a preference: every page checks membership again here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Batch, Listing, ListingStatus
from marketplace.catalog.standards import current_catalogue
from marketplace.certification.services import name_use
from marketplace.certification.services.badge import GIBadge, badges_for
from marketplace.cooperatives.models import Cooperative, Membership
from marketplace.core.errors import NotAllowed
from marketplace.extensions import db

#: Stock at or below this shows as "low" on the dashboard.
LOW_STOCK = 5


def cooperatives_of(user) -> list[Cooperative]:
    """The cooperatives `user` belongs to, in the order they joined."""
    return list(db.session.scalars(
        select(Cooperative).join(Membership).options(joinedload(Cooperative.county))
        .where(Membership.user_id == user.id).order_by(Membership.joined_at, Cooperative.id)))


def current_cooperative(user, chosen_id: int | None) -> Cooperative | None:
    """The chosen cooperative if the user still belongs to it, else their first one."""
    cooperatives = cooperatives_of(user)
    return next((c for c in cooperatives if c.id == chosen_id), cooperatives[0] if cooperatives else None)


def choose_cooperative(user, cooperative_id: int) -> Cooperative:
    """Check that the user may work on this cooperative; raise NotAllowed if not."""
    found = next((c for c in cooperatives_of(user) if c.id == cooperative_id), None)
    if found is None:
        raise NotAllowed(_("You are not a member of this cooperative."))
    return found


@dataclass
class Dashboard:
    cooperative: Cooperative
    cooperatives: list[Cooperative]
    listings: list[Listing]
    batches: list[Batch]
    badges: dict[int, GIBadge]
    counts: dict[str, int] = field(default_factory=dict)
    low_stock: list[Listing] = field(default_factory=list)
    notes: dict[int, ListingNote] = field(default_factory=dict)


@dataclass(frozen=True)
class ListingNote:
    """What the seller's list says under a listing that is not live."""

    #: Why it cannot go live now (the publishing rules, read without changing anything).
    refusal: str | None = None
    #: Why a decision paused it, when one did: the reason and the official's words.
    paused_because: str | None = None
    paused_reason: str = ""
    paused_at: object = None


def listing_notes(listings) -> dict[int, ListingNote]:
    """Say, for each listing not live, what stands in its way and why it was paused."""
    waiting = [listing for listing in listings if listing.status != ListingStatus.ACTIVE]
    pauses = name_use.last_pauses(listing.id for listing in waiting if listing.status == ListingStatus.PAUSED)
    notes = {}
    for listing in waiting:
        refusal = catalog.go_live_refusal(listing)
        pause = pauses.get(listing.id)
        if refusal is None and pause is None:
            continue
        notes[listing.id] = ListingNote(
            refusal=str(refusal) if refusal is not None else None,
            paused_because=name_use.because_text(pause.details.get("because", ""),
                                                 pause.details.get("standard_slug", "")) if pause else None,
            paused_reason=pause.reason if pause else "", paused_at=pause.created_at if pause else None)
    return notes


def dashboard(user, chosen_id: int | None) -> Dashboard | None:
    """Gather the seller's dashboard for the current cooperative (None: no cooperative)."""
    cooperative = current_cooperative(user, chosen_id)
    if cooperative is None:
        return None
    listings = catalog.listings_of(cooperative.id)
    batches = catalog.batches_of(cooperative.id)
    counts = {status.value: 0 for status in ListingStatus}
    for listing in listings:
        counts[listing.status.value] += 1
    counts["batches"] = len(batches)
    counts["batches_passed"] = sum(1 for b in batches if b.validation_passed)
    counts["stock"] = sum(listing.stock for listing in listings)
    return Dashboard(
        cooperative=cooperative, cooperatives=cooperatives_of(user), listings=listings,
        batches=batches, badges=badges_for(listings),
        counts=counts, notes=listing_notes(listings),
        low_stock=[l for l in listings if l.status == ListingStatus.ACTIVE and l.stock <= LOW_STOCK],
    )


def batch_choices(cooperative_id: int, language: str) -> list[tuple[str, str]]:
    """The cooperative's batches as (id, label) for the listing form's batch list."""
    catalogue = current_catalogue()
    choices = []
    for batch in catalog.batches_of(cooperative_id):
        standard = catalogue.get(batch.standard_slug)
        grade = standard.grade(batch.grade) if standard and batch.grade else None
        parts = [f"#{batch.id}", standard.name(language) if standard else batch.standard_slug,
                 batch.harvest_date.isoformat()]
        if batch.grade:
            parts.append(grade.names.get(language) if grade else batch.grade)
        if not batch.validation_passed:
            parts.append("✗")
        choices.append((str(batch.id), " · ".join(parts)))
    return choices


def products_for(cooperative: Cooperative, language: str) -> list[tuple[str, str]]:
    """GI products for the batch chooser: those of the cooperative's county first."""
    catalogue = current_catalogue()
    local = {s.slug for s in catalogue.for_county(cooperative.county_code)}
    ordered = sorted(catalogue.values(), key=lambda s: (s.slug not in local, s.name(language)))
    return [(s.slug, s.name(language)) for s in ordered]
