"""Reviews by verified buyers: one per delivered order line, never deleted."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class Review(db.Model):
    """A buyer's stars and words about what they received, and the seller's one reply.

    A review is never deleted: a reported one may be hidden by a supervisor, with a
    reason that is shown in its place.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_one_to_five"),
        Index("ix_reviews_listing_created", "listing_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unique: one review per delivered order line, whatever the concurrency.
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), unique=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rating: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Set when someone reports the review to the supervisor (first report kept).
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    report_reason: Mapped[str] = mapped_column(Text, default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Set when a supervisor cleared the report without hiding the review.
    report_cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])  # noqa: F821
    listing: Mapped[Listing] = relationship()  # noqa: F821
    photos: Mapped[list[ReviewPhoto]] = relationship(order_by="ReviewPhoto.id")

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ReviewPhoto(db.Model):
    __tablename__ = "review_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    thumbnail: Mapped[str] = mapped_column(String(80), unique=True)
