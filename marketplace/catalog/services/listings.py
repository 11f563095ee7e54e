"""Listings: writing them, their photos, and the rules for going live.

Stock is the one value other requests change at the same time (checkout reserves it), so
a seller's edit is applied as a change relative to the stock the seller saw, on a locked
row: an order placed while the seller was typing is never silently undone.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.core.audit import record
from marketplace.core import storage
from marketplace.core.errors import DomainError, NotAllowed, NotFound
from marketplace.catalog.go_live import check_go_live_rules
from marketplace.catalog.listing_terms import ListingTerms, clean_terms, shop_today
from marketplace.catalog.models import (
    CATEGORIES,
    Batch,
    Listing,
    ListingPhoto,
    ListingStatus,
    ListingVariant,
    live_variants,
    summarise,
)
from marketplace.catalog.photos import PreparedPhoto, prepare_photos, store_photo
from marketplace.catalog.pricing import parse_price
from marketplace.catalog.protected_names import check_protected_names
from marketplace.catalog.size_terms import clean_size
from marketplace.core.text import clean_name, clean_text
from marketplace.catalog.services.access import is_member
from marketplace.catalog.services.mass_balance import check_listing_fits, check_weight_frozen
from marketplace.core.uploads import Upload
from marketplace.cooperatives.models import Cooperative, CooperativeStatus
from marketplace.core.database import write_transaction
from marketplace.extensions import db


@dataclass(frozen=True)
class ListingDetails:
    """A listing as the seller typed it (the form's plain values)."""

    title: str
    description: str
    category: str
    price: str
    unit: str
    stock: int | None
    status: str
    weight_grams: int | None = None
    batch_id: int | None = None
    #: Pre-sale, ship days, excluded provinces, cold chain; None leaves them as they are.
    terms: ListingTerms | None = None
    #: Optional English title and description, shown on the English site.
    title_en: str = ""
    description_en: str = ""


def _clean(details: ListingDetails) -> dict:
    config = current_app.config
    title = clean_name(details.title)
    if not title:
        raise DomainError(_("Enter a title."), "title")
    if len(title) > 120:
        raise DomainError(_("At most %(count)s characters.", count=120), "title")
    description = (clean_text(details.description, multiline=True) or "").strip()
    if len(description) > 20000:
        raise DomainError(_("At most %(count)s characters.", count=20000), "description")
    title_en = clean_name(details.title_en or "") or None
    if title_en and len(title_en) > 120:
        raise DomainError(_("At most %(count)s characters.", count=120), "title_en")
    description_en = (clean_text(details.description_en or "", multiline=True) or "").strip() or None
    if description_en and len(description_en) > 20000:
        raise DomainError(_("At most %(count)s characters.", count=20000), "description_en")
    if details.category not in CATEGORIES:
        raise DomainError(_("Choose a category from the list."), "category")
    unit, stock, weight = clean_size(details.unit, details.stock, details.weight_grams, label_field="unit")
    try:
        status = ListingStatus(details.status)
    except ValueError:
        raise DomainError(_("Choose a status from the list."), "status") from None
    values = {
        "title": title, "description": description, "category": details.category,
        "title_en": title_en, "description_en": description_en,
        "price_minor": parse_price(details.price, config["LISTING_PRICE_MAX_MINOR"]),
        "unit": unit, "stock": stock, "weight_grams": weight, "status": status,
        "batch_id": details.batch_id,
    }
    if details.terms is not None:
        values.update(clean_terms(details.terms, shop_today()))
    return values


#: The columns the listing form writes to the listing's default variant.
VARIANT_FIELDS = {"unit": "label", "price_minor": "price_minor", "weight_grams": "weight_grams"}


def _prepare_photos(uploads: Sequence[Upload]) -> list[PreparedPhoto]:
    limit = current_app.config["PHOTO_MAX_COUNT"]
    if len(uploads) > limit:
        raise DomainError(_("A listing has at most %(count)s photos.", count=limit), "photos")
    return prepare_photos(uploads)


def _check_rules(values: dict, cooperative: Cooperative, lock: bool = True) -> None:
    """Check what depends on stored rows: the batch is the cooperative's, live is allowed."""
    batch = None
    if values["batch_id"] is not None:
        batch = db.session.get(Batch, values["batch_id"])
        if batch is None or batch.cooperative_id != cooperative.id:
            raise DomainError(_("Choose one of your cooperative's batches."), "batch_id")
    if values["status"] == ListingStatus.ACTIVE:
        if cooperative.status != CooperativeStatus.VERIFIED:
            raise DomainError(_("Listings go live once a market supervisor has verified your "
                                 "cooperative. Save it as a draft until then."), "status")
        # The English text is held to the same names as the Chinese: it is shown and searched too.
        title, description = _both_languages(values)
        check_protected_names(title, description,
                              batch.standard_slug if batch else None, batch.county_code if batch else None)
        check_go_live_rules(title, description, batch, cooperative, lock=lock)


def _both_languages(values: dict) -> tuple[str, str]:
    """Title and description in both languages, one text each, for the name rules."""
    return ("\n".join(filter(None, (values["title"], values.get("title_en")))),
            "\n".join(filter(None, (values["description"], values.get("description_en")))))


def _add_photos(listing: Listing, photos: Sequence[PreparedPhoto]) -> None:
    limit = current_app.config["PHOTO_MAX_COUNT"]
    if len(listing.photos) + len(photos) > limit:
        raise DomainError(_("A listing has at most %(count)s photos; it has %(now)s already.",
                             count=limit, now=len(listing.photos)), "photos")
    position = max((photo.position for photo in listing.photos), default=-1) + 1
    for offset, photo in enumerate(photos):
        stored = store_photo(photo)
        listing.photos.append(ListingPhoto(
            position=position + offset, filename=stored.filename, thumbnail=stored.thumbnail,
            width=stored.width, height=stored.height))


def _mark_sold_out(listing: Listing) -> None:
    """An active listing with nothing left is sold out (as checkout marks it too)."""
    if listing.status == ListingStatus.ACTIVE and listing.stock == 0:
        listing.status = ListingStatus.SOLD_OUT


def _audit_status(user, listing: Listing, before: ListingStatus | None) -> None:
    if listing.status != before:
        record(f"listing.{listing.status.value}", "listing", listing.id, actor=user,
               county_code=listing.cooperative.county_code,
               previous=before.value if before else None)


def create_listing(user, cooperative_id: int, details: ListingDetails,
                   photos: Sequence[Upload] = ()) -> Listing:
    """Create a listing for a cooperative the user belongs to, with its first photos."""
    values = _clean(details)
    prepared = _prepare_photos(photos)
    with write_transaction():
        cooperative = db.session.get(Cooperative, cooperative_id)
        if cooperative is None or not is_member(user, cooperative_id):
            raise NotAllowed(_("You are not a member of this cooperative."))
        _check_rules(values, cooperative)
        listing = Listing(cooperative=cooperative, **values)
        listing.variants.append(ListingVariant(position=0, label=values["unit"], price_minor=values["price_minor"],
                                               stock=values["stock"], units_sold=0,
                                               weight_grams=values["weight_grams"]))
        _mark_sold_out(listing)
        db.session.add(listing)
        _add_photos(listing, prepared)
        db.session.flush()
        check_listing_fits(listing)
        _audit_status(user, listing, None)
        return listing


def _locked_listing(user, listing_id: int) -> Listing:
    # populate_existing: the page may have loaded this row before the lock; read it again.
    listing = db.session.scalar(select(Listing).where(Listing.id == listing_id).with_for_update()
                                .execution_options(populate_existing=True))
    if listing is None or not is_member(user, listing.cooperative_id):
        raise NotFound(_("This listing is not one of your cooperative's."))
    db.session.expire(listing, ["photos", "variants"])  # read under the lock, not as first read
    return listing


def update_listing(user, listing_id: int, details: ListingDetails, photos: Sequence[Upload] = (),
                   stock_seen: int | None = None) -> Listing:
    """Change a listing; stock moves by what the seller changed since they loaded the form."""
    values = _clean(details)
    prepared = _prepare_photos(photos)
    with write_transaction():
        listing = _locked_listing(user, listing_id)
        _check_rules(values, listing.cooperative)
        variant = live_variants(listing)[0]
        wanted = values.pop("stock")
        seen = variant.stock if stock_seen is None else stock_seen
        stock = variant.stock + (wanted - seen)
        if stock < 0:
            raise DomainError(_("Orders took stock while you were editing: %(now)s left. "
                                 "Check the figure and save again.", now=variant.stock), "stock")
        if stock > current_app.config["LISTING_STOCK_MAX"]:
            raise DomainError(_("This stock is too large."), "stock")
        before, previous_batch_id = listing.status, listing.batch_id
        if listing.batch_id is not None or listing.presale_ships_from is not None:
            check_weight_frozen(variant, values["weight_grams"])
        for name, column in VARIANT_FIELDS.items():
            setattr(variant, column, values.pop(name))
        variant.stock = stock
        for name, value in values.items():
            setattr(listing, name, value)
        summarise(listing)
        _mark_sold_out(listing)
        _add_photos(listing, prepared)
        db.session.flush()
        check_listing_fits(listing, previous_batch_id=previous_batch_id)
        _audit_status(user, listing, before)
        return listing


def set_listing_status(user, listing_id: int, status: str) -> Listing:
    """Publish, pause or mark sold out in one click; the same rules as a full save apply."""
    with write_transaction():
        listing = _locked_listing(user, listing_id)
        try:
            wanted = ListingStatus(status)
        except ValueError:
            raise DomainError(_("Choose a status from the list."), "status") from None
        if wanted == ListingStatus.ACTIVE:
            _check_rules({"batch_id": listing.batch_id, "status": wanted, "title": listing.title,
                          "description": listing.description, "title_en": listing.title_en,
                          "description_en": listing.description_en}, listing.cooperative)
        before = listing.status
        listing.status = wanted
        _mark_sold_out(listing)
        _audit_status(user, listing, before)
        return listing


def go_live_refusal(listing: Listing) -> DomainError | None:
    """Why this listing could not go live now (for the seller's list), or None.

    The same rules as publishing, read without changing anything, so a draft or a listing
    paused by a decision says what stands in its way.
    """
    try:
        _check_rules({"batch_id": listing.batch_id, "status": ListingStatus.ACTIVE, "title": listing.title,
                      "description": listing.description, "title_en": listing.title_en,
                      "description_en": listing.description_en}, listing.cooperative, lock=False)
    except DomainError as error:
        return error
    return None


def remove_photo(user, listing_id: int, photo_id: int) -> Listing:
    """Take a photo off a listing; its files go once the change is committed."""
    with write_transaction():
        listing = _locked_listing(user, listing_id)
        photo = next((p for p in listing.photos if p.id == photo_id), None)
        if photo is None:
            raise NotFound(_("This photo is not on this listing."))
        listing.photos.remove(photo)
        storage.remove_after_commit(storage.PHOTOS, photo.filename)
        storage.remove_after_commit(storage.PHOTOS, photo.thumbnail)
        return listing


def listings_of(cooperative_id: int) -> list[Listing]:
    """A cooperative's listings, newest first, with their photos and batches."""
    return list(db.session.scalars(
        select(Listing).options(selectinload(Listing.photos), selectinload(Listing.batch))
        .where(Listing.cooperative_id == cooperative_id)
        .order_by(Listing.created_at.desc(), Listing.id.desc())))

