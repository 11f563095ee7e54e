"""Lab report files attached to batches: a PDF or a photo of the paper report.

The type is decided from the content: a PDF by its header and end marker, an image by
decoding it with Pillow. The file is stored under UPLOAD_FOLDER/lab-reports with a random
name and served only through `seller.lab_report`, after `can_view_lab_report` agrees.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from marketplace.catalog import storage
from marketplace.catalog.errors import CatalogError
from marketplace.catalog.uploads import (
    IMAGE_TYPES,
    ImageTooLarge,
    NotAnImage,
    Upload,
    open_image,
    size_text,
    sniff_pdf,
)

FIELD = "lab_report"
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


@dataclass(frozen=True)
class StoredLabReport:
    filename: str
    mime: str
    original_name: str


def check_lab_report(upload: Upload) -> str:
    """Return the MIME type the content proves, or raise CatalogError naming the file."""
    name = upload.display_name
    if upload.too_large:
        raise CatalogError(_("%(name)s is larger than %(size)s.", name=name,
                             size=size_text(current_app.config["LAB_REPORT_MAX_BYTES"])), FIELD)
    if not upload.data:
        raise CatalogError(_("%(name)s is empty.", name=name), FIELD)
    if sniff_pdf(upload.data):
        return "application/pdf"
    try:
        image = open_image(upload.data, current_app.config["PHOTO_MAX_PIXELS"])
    except ImageTooLarge as error:
        raise CatalogError(_("%(name)s has too many pixels to be a scanned report.", name=name),
                           FIELD) from error
    except NotAnImage as error:
        raise CatalogError(_("%(name)s is neither a PDF nor a JPEG, PNG or WebP image.", name=name),
                           FIELD) from error
    return IMAGE_TYPES[image.format]


def store_lab_report(upload: Upload) -> StoredLabReport:
    """Check and write a lab report; the file vanishes again if the save rolls back."""
    mime = check_lab_report(upload)
    name = storage.write(storage.LAB_REPORTS, _EXTENSIONS[mime], upload.data)
    return StoredLabReport(filename=name, mime=mime, original_name=upload.display_name[:200])
