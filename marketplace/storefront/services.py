"""What the public pages show: the home page, a product page, a cooperative's page.

Each page's data is gathered in a few queries (counts by GI product, province and category
in SQL; the listings shown loaded once, with what their cards need, and their badges in one
call), because these are the pages every visitor opens first.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from gi_standards import Report, Standard
from marketplace.catalog.labels import category_label
from marketplace.catalog.models import Batch, Listing, ListingPhoto, ListingStatus
from marketplace.catalog.services import can_view_listing, is_member, report_of
from marketplace.catalog.standards import current_catalogue, standard_for
from marketplace.certification.services.badge import GIBadge, badge_for, badges_for
from marketplace.cooperatives.models import Cooperative, CooperativeStatus, County
from marketplace.extensions import db

#: Listing.is_live as conditions on a query joined to the cooperative (cheaper than the
#: EXISTS of Listing.live_condition() when the join is there anyway).
_LIVE = (Listing.status == ListingStatus.ACTIVE, Cooperative.status == CooperativeStatus.VERIFIED)


def _card_options():
    """What a listing card shows: cooperative and county, photos, the batch for the badge."""
    return (joinedload(Listing.cooperative).joinedload(Cooperative.county),
            joinedload(Listing.batch), selectinload(Listing.photos))


def _live_listings():
    return select(Listing).join(Listing.cooperative).where(*_LIVE)


def _load(ids) -> dict[int, Listing]:
    ids = set(ids)
    if not ids:
        return {}
    rows = db.session.scalars(select(Listing).options(*_card_options()).where(Listing.id.in_(ids))).unique()
    return {listing.id: listing for listing in rows}


@dataclass
class FeaturedProduct:
    standard: Standard
    listing_count: int
    #: A live listing of the product, for its photo; None while no listing carries it.
    example: Listing | None = None


@dataclass
class ListingGroup:
    """Live listings of one province or category: its key, label in the reader's language, count."""

    key: str
    label: str
    count: int


@dataclass
class HomePage:
    featured: list[FeaturedProduct]
    other_products: list[Standard]
    by_province: list[ListingGroup]
    by_category: list[ListingGroup]
    newest: list[Listing]
    badges: dict[int, GIBadge]


def _counts(column, *extra_columns) -> list[tuple]:
    """(key, *extra, live listings) per value of `column`, largest first."""
    count = func.count(Listing.id)
    return list(db.session.execute(
        select(column, *extra_columns, count).select_from(Listing).join(Listing.cooperative)
        .join(Cooperative.county).where(*_LIVE).group_by(column, *extra_columns)
        .order_by(count.desc(), column)).tuples())


def home_page(language: str) -> HomePage:
    """Gather the home page: GI products, live listings by province and category, newest.

    Provinces and categories are counted in SQL and shown as links to the search page's
    filters; only the newest listings and one example per GI product are loaded whole.
    """
    config = current_app.config
    catalogue = current_catalogue()
    carried = db.session.execute(
        select(Batch.standard_slug, func.count(Listing.id), func.max(Listing.id))
        .select_from(Listing).join(Listing.cooperative).join(Listing.batch).where(*_LIVE)
        .group_by(Batch.standard_slug).order_by(func.count(Listing.id).desc())).all()
    provinces = _counts(County.province_zh, County.province_en)
    categories = _counts(Listing.category)
    newest_ids = list(db.session.scalars(
        _live_listings().with_only_columns(Listing.id)
        .order_by(Listing.created_at.desc(), Listing.id.desc()).limit(config["HOME_NEWEST_LISTINGS"])))
    loaded = _load(newest_ids + [row[2] for row in carried])
    newest = [loaded[i] for i in newest_ids if i in loaded]
    featured = [FeaturedProduct(catalogue[slug], count, loaded.get(example))
                for slug, count, example in carried if slug in catalogue]
    shown = {item.standard.slug for item in featured}
    return HomePage(
        featured=featured,
        other_products=[standard for slug, standard in catalogue.items() if slug not in shown],
        by_province=[ListingGroup(zh, zh if language == "zh" else en, count) for zh, en, count in provinces],
        by_category=[ListingGroup(key, category_label(key), count) for key, count in categories],
        newest=newest,
        badges=badges_for(newest),
    )


@dataclass
class ProductPage:
    listing: Listing
    badge: GIBadge
    is_member: bool
    standard: Standard | None = None
    report: Report | None = None
    grade_name: str | None = None
    best_grade_name: str | None = None


def product_page(user, listing_id: int, language: str) -> ProductPage | None:
    """The product page of a listing, or None if this user may not see it (a 404)."""
    listing = db.session.scalars(
        select(Listing).options(joinedload(Listing.cooperative).joinedload(Cooperative.county),
                                joinedload(Listing.photos), joinedload(Listing.batch).joinedload(Batch.county),
                                joinedload(Listing.batch).joinedload(Batch.standard_version))
        .where(Listing.id == listing_id)).unique().one_or_none()
    if listing is None or not can_view_listing(user, listing):
        return None
    page = ProductPage(listing=listing, badge=badge_for(listing),
                       is_member=is_member(user, listing.cooperative_id))
    batch = listing.batch
    if batch is not None:
        page.standard = standard_for(batch.standard_slug)
        page.report = report_of(batch)
        if page.standard is not None:
            for attr, key in (("grade_name", batch.grade), ("best_grade_name", batch.best_grade)):
                grade = page.standard.grade(key)
                setattr(page, attr, grade.names.get(language) if grade else key)
    return page


@dataclass
class CooperativePage:
    cooperative: Cooperative
    listings: list[Listing]
    badges: dict[int, GIBadge]
    is_member: bool
    page: int = 1
    pages: int = 1
    total: int = 0


def cooperative_page(user, cooperative_id: int, page: int = 1) -> CooperativePage | None:
    """A cooperative's public profile with a page of its live listings (None: a 404).

    A cooperative still waiting for verification is shown only to its members and to
    market supervisors: its phone and address are not published before it is checked.
    """
    cooperative = db.session.scalar(
        select(Cooperative).options(joinedload(Cooperative.county)).where(Cooperative.id == cooperative_id))
    if cooperative is None:
        return None
    if cooperative.status == CooperativeStatus.PENDING and not (
            is_member(user, cooperative.id) or getattr(user, "is_supervisor", False)):
        return None
    size = current_app.config["COOPERATIVE_PAGE_SIZE"]
    live = _live_listings().where(Listing.cooperative_id == cooperative_id)
    total = db.session.scalar(live.with_only_columns(func.count(Listing.id))) or 0
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    listings = list(db.session.scalars(
        live.options(*_card_options()).order_by(Listing.created_at.desc(), Listing.id.desc())
        .limit(size).offset((page - 1) * size)).unique())
    return CooperativePage(cooperative=cooperative, listings=listings, badges=badges_for(listings),
                           is_member=is_member(user, cooperative.id), page=page, pages=pages, total=total)


@dataclass(frozen=True)
class PhotoFile:
    name: str
    public: bool


def photo_file(user, name: str) -> PhotoFile | None:
    """A stored photo or thumbnail by its name, if its listing is public or the user a member."""
    photo = db.session.scalar(
        select(ListingPhoto).options(joinedload(ListingPhoto.listing).joinedload(Listing.cooperative))
        .where(or_(ListingPhoto.filename == name, ListingPhoto.thumbnail == name)))
    if photo is None:
        return None
    if photo.listing.is_public:
        return PhotoFile(name, public=True)
    if is_member(user, photo.listing.cooperative_id):
        return PhotoFile(name, public=False)
    return None
