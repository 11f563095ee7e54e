"""Photos a buyer sends with an after-sales request: checked and re-encoded exactly as listing
photos are (catalog.photos over core/uploads.py and core/images.py: no metadata, no GPS),
but kept in a folder of their own and shown only to the buyer, the cooperative's members
and supervisors (never served publicly).
"""
from __future__ import annotations

from collections.abc import Sequence

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError
from marketplace.catalog.photos import FIELD, PreparedPhoto, prepare_photos
from marketplace.core import storage
from marketplace.core.uploads import Upload

FOLDER = "after-sale"


def prepare(uploads: Sequence[Upload]) -> list[PreparedPhoto]:
    """Check every photo of the request, then re-encode each; write nothing yet."""
    most = current_app.config["AFTER_SALE_MAX_PHOTOS"]
    if len(uploads) > most:
        raise DomainError(_l("Send at most %(n)d photos.", n=most), FIELD)
    try:
        return prepare_photos(uploads)
    except DomainError as refused:
        raise DomainError(str(refused), refused.field) from refused


def store(photo: PreparedPhoto) -> tuple[str, str]:
    """Write a prepared photo and its thumbnail; both vanish again if the request rolls back."""
    return storage.write(FOLDER, "jpg", photo.full), storage.write(FOLDER, "jpg", photo.thumbnail)


def path_of(name: str):
    return storage.path_of(FOLDER, name)
