"""Photos sent with complaints and reviews: checked and re-encoded as listing photos are.

They are kept apart from listing photos (their own folders), because who may see them
differs: a complaint's photos only those handling it, a review's anyone while it is shown.
"""
from __future__ import annotations

from collections.abc import Sequence

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.catalog.photos import PreparedPhoto, prepare_photos
from marketplace.core import storage
from marketplace.core.errors import DomainError
from marketplace.core.uploads import Upload

COMPLAINT_PHOTOS = "complaint-photos"
REVIEW_PHOTOS = "review-photos"


def prepare(uploads: Sequence[Upload | None], limit_setting: str) -> list[PreparedPhoto]:
    """Check and re-encode the photos of one request; refuse on the photos field."""
    uploads = [u for u in uploads if u is not None]
    limit = current_app.config[limit_setting]
    if len(uploads) > limit:
        raise DomainError(_l("At most %(count)s photos.", count=limit), "photos")
    try:
        return prepare_photos(uploads)
    except DomainError as error:
        raise DomainError(str(error), "photos") from error


def store(photo: PreparedPhoto, kind: str) -> tuple[str, str]:
    """Write a photo and its thumbnail (both go if the transaction rolls back)."""
    return storage.write(kind, "jpg", photo.full), storage.write(kind, "jpg", photo.thumbnail)
