"""Photos a buyer sends with an after-sales request: checked and re-encoded by the shared
upload stack (core/uploads.py, core/images.py), kept in a folder of their own and shown
only to the buyer, the cooperative's members and supervisors (never served publicly).
"""
from __future__ import annotations

from collections.abc import Sequence

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.core import storage
from marketplace.core.images import EncodedPhoto, public_jpeg
from marketplace.core.uploads import Upload, UploadKind, UploadRefused, check_uploads
from marketplace.orders.services.errors import OrderError

FIELD = "photos"
FOLDER = "after-sale"
AFTER_SALE_UPLOADS = UploadKind(field=FIELD, max_bytes_setting="PHOTO_MAX_BYTES")


def prepare(uploads: Sequence[Upload]) -> list[EncodedPhoto]:
    """Check every photo of the request, then re-encode each; write nothing yet."""
    config = current_app.config
    if len(uploads) > config["AFTER_SALE_MAX_PHOTOS"]:
        raise OrderError(_l("Send at most %(n)d photos.", n=config["AFTER_SALE_MAX_PHOTOS"]), FIELD)
    try:
        checked = check_uploads(uploads, AFTER_SALE_UPLOADS)
        return [public_jpeg(item, field=FIELD, side=config["PHOTO_MAX_SIDE"],
                            thumbnail_side=config["PHOTO_THUMBNAIL_SIDE"],
                            quality=config["PHOTO_JPEG_QUALITY"]) for item in checked]
    except UploadRefused as refused:
        raise OrderError(str(refused), refused.field) from refused


def store(photo: EncodedPhoto) -> tuple[str, str]:
    """Write a prepared photo and its thumbnail; both vanish again if the request rolls back."""
    return storage.write(FOLDER, "jpg", photo.full), storage.write(FOLDER, "jpg", photo.thumbnail)


def path_of(name: str):
    return storage.path_of(FOLDER, name)
