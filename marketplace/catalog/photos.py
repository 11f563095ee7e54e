"""Listing photos: what the shared upload stack is told about them, and where they go.

Nothing a seller uploads is served as it came: core/uploads.py checks every photo of a
request from its header (type, pixels, frames) before any is decoded, and core/images.py
writes each anew as JPEG with no metadata (camera serials, the farm's GPS position,
comments), upright and in sRGB.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from flask import current_app

from marketplace.core.errors import DomainError
from marketplace.core import storage
from marketplace.core.images import EncodedPhoto, public_jpeg
from marketplace.core.uploads import Upload, UploadKind, UploadRefused, check_uploads

FIELD = "photos"
PHOTO_UPLOADS = UploadKind(field=FIELD, max_bytes_setting="PHOTO_MAX_BYTES")

#: A photo re-encoded in memory, ready to be written: full size and thumbnail JPEGs.
PreparedPhoto = EncodedPhoto


@dataclass(frozen=True)
class StoredPhoto:
    """The files written for one photo, by their random names, and its size in pixels."""

    filename: str
    thumbnail: str
    width: int
    height: int


def prepare_photos(uploads: Sequence[Upload]) -> list[PreparedPhoto]:
    """Check all uploads of one request, then re-encode each; write nothing.

    Raise DomainError on the photos field for the first photo refused.
    """
    config = current_app.config
    try:
        checked = check_uploads(uploads, PHOTO_UPLOADS)
        return [public_jpeg(item, field=FIELD, side=config["PHOTO_MAX_SIDE"],
                            thumbnail_side=config["PHOTO_THUMBNAIL_SIDE"],
                            quality=config["PHOTO_JPEG_QUALITY"]) for item in checked]
    except UploadRefused as refused:
        raise DomainError(str(refused), refused.field) from refused


def store_photo(photo: PreparedPhoto) -> StoredPhoto:
    """Write a prepared photo and its thumbnail; both vanish if the save rolls back."""
    return StoredPhoto(
        filename=storage.write(storage.PHOTOS, "jpg", photo.full),
        thumbnail=storage.write(storage.PHOTOS, "jpg", photo.thumbnail),
        width=photo.width, height=photo.height,
    )
