"""Variants: the sizes a listing is sold in (500 g box, 5 kg sack, gift box).

Each variant has its own price, stock and net weight. The listing's own `price_minor`,
`stock`, `units_sold`, `unit` and `weight_grams` are a summary of its variants, kept in
step by `summarise()` when a seller writes and by the reservation UPDATEs when orders
take or give back units: cards, search and sorting read the summary, while checkout,
stock and mass balance read the variants.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from marketplace.extensions import db
from marketplace.core.timeutil import utcnow

#: Grams in one jin (斤): Chinese shoppers compare prices per 斤.
JIN_GRAMS = 500


class ListingVariant(db.Model):
    __tablename__ = "listing_variants"
    __table_args__ = (
        CheckConstraint("price_minor > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("units_sold >= 0", name="units_sold_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    #: Order on the product page; the first live variant is the listing's default.
    position: Mapped[int] = mapped_column(default=0)
    #: What one unit is, as the seller says it: "500 g box", "5 kg sack", "gift box".
    label: Mapped[str] = mapped_column(String(40))
    price_minor: Mapped[int] = mapped_column()
    stock: Mapped[int] = mapped_column(default=0)
    #: Units taken by orders and not given back (see Listing.units_sold).
    units_sold: Mapped[int] = mapped_column(default=0)
    #: Net weight of one unit: what it takes of a batch, and the unit price per 500 g.
    weight_grams: Mapped[int | None] = mapped_column()
    #: Set instead of deleting a variant that orders point at: it is no longer on sale.
    retired_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    listing: Mapped["Listing"] = relationship(back_populates="variants")  # noqa: F821

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def jin_price_minor(self) -> int | None:
        """The price per 500 g (斤), rounded to the fen; None without a weight."""
        if not self.weight_grams:
            return None
        return (self.price_minor * JIN_GRAMS + self.weight_grams // 2) // self.weight_grams


def live_variants(listing) -> list[ListingVariant]:
    """The variants on sale, in their order on the page."""
    return sorted((v for v in listing.variants if v.retired_at is None), key=lambda v: (v.position, v.id or 0))


def product_name(listing, variant: ListingVariant) -> str:
    """How messages name one size: the title alone when the listing has one size on sale."""
    return listing.title if len(live_variants(listing)) <= 1 else f"{listing.title} ({variant.label})"


def summarise(listing) -> None:
    """Set the listing's summary columns from its variants (the caller holds the listing row).

    The price is the lowest of the variants on sale (what cards, sorting and the price facet
    use); unit and weight are the default variant's; stock and units sold are sums.
    """
    live = live_variants(listing)
    if not live:
        return
    cheapest = min(live, key=lambda v: (v.price_minor, v.position))
    listing.price_minor = cheapest.price_minor
    listing.unit = live[0].label
    listing.weight_grams = live[0].weight_grams
    listing.stock = sum(v.stock for v in live)
    listing.units_sold = sum(v.units_sold for v in listing.variants)


def _give_new_listings_a_variant(session: Session, _context, _instances) -> None:
    """A listing saved without variants gets its default variant from its own figures.

    Every listing began as one size; this keeps "a listing has at least one variant" true
    for every way a listing is written (services, demo data, data fixes).
    """
    from marketplace.catalog.models.listing import Listing

    for instance in list(session.new):
        if isinstance(instance, Listing) and not instance.variants:
            instance.variants.append(ListingVariant(
                position=0, label=instance.unit, price_minor=instance.price_minor, stock=instance.stock or 0,
                units_sold=instance.units_sold or 0, weight_grams=instance.weight_grams))


def install_session_hooks() -> None:
    """Register the listing hook once for all sessions (called from catalog.init_app)."""
    if not event.contains(Session, "before_flush", _give_new_listings_a_variant):
        event.listen(Session, "before_flush", _give_new_listings_a_variant)
