"""Listings: what shoppers see and buy, and their photos."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.cooperatives.models import Cooperative, CooperativeStatus
from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow

#: Listing categories; the first four match the GI catalogue's categories.
CATEGORIES = ("tea", "rice", "fruit", "processed", "vegetables", "grain_oil", "other")


class ListingStatus(str, enum.Enum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    SOLD_OUT = "sold_out"


class Listing(db.Model):
    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("price_minor > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("units_sold >= 0", name="units_sold_not_negative"),
        Index("ix_listings_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    #: Markdown as the seller wrote it; rendered and sanitised when shown.
    description: Mapped[str] = mapped_column(Text, default="")
    #: Optional English title and description, shown on the English site (else the Chinese).
    title_en: Mapped[str | None] = mapped_column(String(120))
    description_en: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20), index=True)
    #: Price in minor units (fen) of the configured currency.
    price_minor: Mapped[int] = mapped_column()
    #: What one unit is, as the seller says it: "500 g box", "5 kg bag".
    unit: Mapped[str] = mapped_column(String(40))
    #: Net weight of one unit: for per-kg shipping fees, and required once the listing is
    #: linked to a batch, whose certified quantity its units count against.
    weight_grams: Mapped[int | None] = mapped_column()
    stock: Mapped[int] = mapped_column(default=0)
    #: Units taken by orders and not given back: a reservation moves units from `stock`
    #: here, a cancellation moves them back, so stock + units_sold changes only by the
    #: seller's hand, which is where a batch's mass balance is checked.
    units_sold: Mapped[int] = mapped_column(default=0)
    status: Mapped[ListingStatus] = mapped_column(enum_column(ListingStatus), default=ListingStatus.DRAFT,
                                                  index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    #: Harvest pre-sale (预售): orders ship from this day on; None for goods already in hand.
    presale_ships_from: Mapped[date | None] = mapped_column()
    #: The expected yield a pre-sale may sell (kg) until a batch is linked (see mass_balance).
    presale_yield_kg: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    #: Weekdays the listing ships on, Monday = 0 ("012" = Mon–Wed); empty = every day.
    ship_weekdays: Mapped[str] = mapped_column(String(7), default="")
    #: Provinces (Chinese names, as in core.regions) this listing is not sent to.
    excluded_provinces: Mapped[list] = mapped_column(JSON, default=list)
    #: Sent in the cold chain (fresh fruit): shown to shoppers, and why ship days are few.
    cold_chain: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    cooperative: Mapped[Cooperative] = relationship()
    batch: Mapped["Batch | None"] = relationship()  # noqa: F821
    photos: Mapped[list[ListingPhoto]] = relationship(
        back_populates="listing", order_by="ListingPhoto.position", cascade="all, delete-orphan"
    )
    variants: Mapped[list["ListingVariant"]] = relationship(  # noqa: F821
        back_populates="listing", order_by="(ListingVariant.position, ListingVariant.id)",
        cascade="all, delete-orphan")

    @property
    def is_presale(self) -> bool:
        """Sells a coming harvest today: shown as pre-sale until the ships-from day or the batch comes."""
        from marketplace.catalog.listing_terms import shop_today
        from marketplace.catalog.presale import presale_open

        return self.presale_ships_from is not None and presale_open(self, shop_today())

    @property
    def is_live(self) -> bool:
        """Shown to shoppers and found by search: active, from a verified cooperative.

        `live_condition()` is the same rule in SQL; keep the two in step.
        """
        return self.status == ListingStatus.ACTIVE and self.cooperative.status == CooperativeStatus.VERIFIED

    @property
    def is_public(self) -> bool:
        """Has a public page: live, or sold out (links, bookmarks and search engines keep it).

        A draft, a paused listing, or any listing of a cooperative that is not verified
        has no public page.
        """
        return (self.status in (ListingStatus.ACTIVE, ListingStatus.SOLD_OUT)
                and self.cooperative.status == CooperativeStatus.VERIFIED)

    @classmethod
    def live_condition(cls):
        """The SQL condition for live listings (see `is_live`), for queries of any area."""
        return and_(cls.status == ListingStatus.ACTIVE,
                    cls.cooperative.has(Cooperative.status == CooperativeStatus.VERIFIED))


class ListingPhoto(db.Model):
    __tablename__ = "listing_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    #: Random stored names under UPLOAD_FOLDER/photos (re-encoded JPEG/PNG, EXIF stripped).
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    thumbnail: Mapped[str] = mapped_column(String(80), unique=True)
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()

    listing: Mapped[Listing] = relationship(back_populates="photos")
