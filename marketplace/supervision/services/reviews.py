"""Reviews by verified buyers: written once per delivered order line, replied to once,
reported by anyone signed in, hidden (never deleted) by a supervisor with a reason."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.certification.services import access as certification_access
from marketplace.core import storage
from marketplace.core.audit import record
from marketplace.core.database import write_transaction
from marketplace.core.errors import DomainError, NotAllowed
from marketplace.core.timeutil import utcnow
from marketplace.core.urls import external_url
from marketplace.extensions import db
from marketplace.orders.models import OrderLine, OrderStatus
from marketplace.supervision.models import Review, ReviewPhoto
from marketplace.supervision.services import photos as review_photos
from marketplace.supervision.services.common import (
    authenticated,
    check_supervisor,
    clean_body,
    mail_each,
    supervisor_emails,
)
from marketplace.supervision.services.mailing import title_of

MAX_REVIEW_LENGTH = 2000
_DELIVERED = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)


def own_line(user, order_id: int, line_id: int) -> OrderLine:
    """The buyer's own order line; refuse anyone else's."""
    line = db.session.get(OrderLine, line_id)
    if (line is None or not authenticated(user) or line.sub_order.order_id != order_id
            or line.sub_order.order.buyer_id != user.id):
        raise NotAllowed(_l("You can review only what you bought."))
    return line


def is_delivered(line: OrderLine) -> bool:
    return line.sub_order.status in _DELIVERED


def reviewable_line(user, order_id: int, line_id: int) -> OrderLine:
    """The buyer's own order line, delivered; refuse anything else."""
    line = own_line(user, order_id, line_id)
    if not is_delivered(line):
        raise DomainError(_l("You can review this once it has been delivered."))
    return line


def review_of_line(line_id: int) -> Review | None:
    return db.session.scalar(select(Review).where(Review.order_line_id == line_id))


def parse_rating(value) -> int:
    try:
        rating = int(str(value).strip())
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError(_l("Choose from 1 to 5 stars."), "rating")
    return rating


def write_review(user, order_id: int, line_id: int, rating, body: str | None, photos=(),
                 now: datetime | None = None) -> Review:
    """Record the buyer's review of one delivered order line (once)."""
    rating = parse_rating(rating)
    body = clean_body(body, "body", required=False, longest=MAX_REVIEW_LENGTH)
    prepared = review_photos.prepare(photos, "REVIEW_PHOTO_MAX_COUNT")
    already = _l("You have already reviewed this purchase.")
    try:
        with write_transaction():
            line = reviewable_line(user, order_id, line_id)
            if review_of_line(line.id) is not None:
                raise DomainError(already, "rating")
            review = Review(order_line_id=line.id, listing_id=line.listing_id,
                            cooperative_id=line.sub_order.cooperative_id, author_id=user.id, rating=rating,
                            body=body, created_at=now or utcnow())
            db.session.add(review)
            db.session.flush()
            for photo in prepared:
                full, thumbnail = review_photos.store(photo, review_photos.REVIEW_PHOTOS)
                db.session.add(ReviewPhoto(review_id=review.id, filename=full, thumbnail=thumbnail))
            record("review.written", "review", review.id, actor=user, listing_id=line.listing_id, rating=rating)
    except IntegrityError as error:  # the same line reviewed twice at the same moment
        raise DomainError(already, "rating") from error
    return review


def _locked(review_id: int) -> Review:
    review = db.session.scalar(select(Review).where(Review.id == review_id).with_for_update()
                               .execution_options(populate_existing=True))
    if review is None:
        raise NotAllowed(_l("This review does not exist."))
    return review


def reply_to_review(user, review_id: int, body: str | None, now: datetime | None = None) -> Review:
    """The cooperative answers a review, once."""
    body = clean_body(body, "reply", required=True, longest=MAX_REVIEW_LENGTH, missing=_l("Write your reply."))
    with write_transaction():
        review = _locked(review_id)
        if not certification_access.is_member(user, review.cooperative_id):
            raise NotAllowed(_l("Only the cooperative that sold it can reply."))
        if review.replied_at is not None:
            raise DomainError(_l("You have already replied to this review."), "reply")
        review.reply, review.replied_at, review.replied_by_id = body, now or utcnow(), user.id
        record("review.replied", "review", review.id, actor=user)
        mail_each([review.author.email], _l("The seller replied to your review"), "supervision_review_reply",
                  title=title_of(review.listing), reply=body,
                  url=external_url("storefront.listing", listing_id=review.listing_id))
    return review


def report_review(user, review_id: int, reason: str | None, now: datetime | None = None) -> Review:
    """Send a review to the market supervisor, who decides whether it stays shown."""
    if not authenticated(user):
        raise NotAllowed(_l("Sign in to report a review."))
    reason = clean_body(reason, "reason", required=True, missing=_l("Say what is wrong with this review."))
    with write_transaction():
        review = _locked(review_id)
        if review.is_hidden:
            raise DomainError(_l("This review is already hidden."), "reason")
        if review.reported_at is not None and review.report_cleared_at is None:
            raise DomainError(_l("This review is already waiting for the market supervisor."), "reason")
        review.reported_at, review.report_reason, review.reported_by_id = now or utcnow(), reason, user.id
        review.report_cleared_at = None
        record("review.reported", "review", review.id, actor=user, reason=reason)
        mail_each(supervisor_emails(), _l("A review was reported"), "supervision_review_reported",
                  reason=reason, url=external_url("supervision_admin.reported_reviews"))
    return review


def hide_review(supervisor, review_id: int, reason: str | None, now: datetime | None = None) -> Review:
    """Hide a review in place, with the reason shown instead of its words."""
    check_supervisor(supervisor)
    reason = clean_body(reason, "reason", required=True)
    with write_transaction():
        review = _locked(review_id)
        if review.is_hidden:
            raise DomainError(_l("This review is already hidden."), "reason")
        review.hidden_at, review.hidden_reason, review.hidden_by_id = now or utcnow(), reason, supervisor.id
        record("review.hidden", "review", review.id, actor=supervisor, reason=reason)
        mail_each([review.author.email], _l("Your review was hidden"), "supervision_review_hidden",
                  title=title_of(review.listing), reason=reason)
    return review


def keep_review(supervisor, review_id: int, reason: str | None, now: datetime | None = None) -> Review:
    """Close a report and leave the review shown."""
    check_supervisor(supervisor)
    reason = clean_body(reason, "reason", required=True)
    with write_transaction():
        review = _locked(review_id)
        if review.reported_at is None or review.report_cleared_at is not None or review.is_hidden:
            raise DomainError(_l("This review waits for no decision."), "reason")
        review.report_cleared_at = now or utcnow()
        record("review.kept", "review", review.id, actor=supervisor, reason=reason)
    return review


def reported_reviews() -> list[Review]:
    return list(db.session.scalars(select(Review).where(
        Review.reported_at.is_not(None), Review.report_cleared_at.is_(None), Review.hidden_at.is_(None))
        .order_by(Review.reported_at)))


@dataclass(frozen=True)
class ReviewSummary:
    count: int
    average: float | None
    reviews: list[Review]


def _summary(condition, limit: int | None) -> ReviewSummary:
    count, average = db.session.execute(select(func.count(Review.id), func.avg(Review.rating))
                                        .where(condition, Review.hidden_at.is_(None))).one()
    query = (select(Review).options(selectinload(Review.photos), selectinload(Review.author))
             .where(condition).order_by(Review.created_at.desc(), Review.id.desc()))
    reviews = list(db.session.scalars(query.limit(limit))) if limit else []
    return ReviewSummary(count or 0, round(float(average), 1) if average is not None else None, reviews)


def listing_reviews(listing_id: int, limit: int = 20) -> ReviewSummary:
    """Count and average of the shown reviews, and the latest reviews (hidden ones marked)."""
    return _summary(Review.listing_id == listing_id, limit)


def cooperative_reviews(cooperative_id: int, limit: int = 5) -> ReviewSummary:
    return _summary(Review.cooperative_id == cooperative_id, limit)


def seller_reviews(user) -> list[Review]:
    return list(db.session.scalars(select(Review).where(Review.cooperative_id.in_(sorted(user.cooperative_ids())))
                                   .order_by(Review.replied_at.is_not(None), Review.created_at.desc())))


def photo_is_public(name: str) -> bool:
    """A review's photos are public while the review is shown."""
    from sqlalchemy import or_

    if not storage.is_stored_name(name):
        return False
    found = db.session.execute(select(Review.hidden_at).join(ReviewPhoto, ReviewPhoto.review_id == Review.id)
                               .where(or_(ReviewPhoto.filename == name, ReviewPhoto.thumbnail == name))).first()
    return found is not None and found.hidden_at is None
