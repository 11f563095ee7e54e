"""Documents sent with GI applications: checked by their content, stored by random names.

The browser's content type and the file's name say nothing reliable about what a file is,
so PDF is recognised by its header and images by Pillow actually decoding them.
"""
from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from marketplace.certification.errors import CertificationError

#: Pillow formats accepted as scans or photos of a document, with their content types.
IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


@dataclass(frozen=True)
class Upload:
    """A file as the user sent it: its name (only shown) and its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedDocument:
    upload: Upload
    mime_type: str
    extension: str


def check_document(upload: Upload | None, field: str, *, required: bool = True) -> CheckedDocument | None:
    """Accept a PDF or an image (JPEG, PNG, WebP) within the size limit; refuse the rest."""
    if upload is None or not upload.data:
        if required:
            raise CertificationError(_l("Attach this document (PDF or image)."), field)
        return None
    limit = current_app.config["CERTIFICATION_DOCUMENT_MAX_BYTES"]
    if len(upload.data) > limit:
        raise CertificationError(
            _l("This file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)), field)
    if upload.data.startswith(b"%PDF-"):
        if b"%%EOF" not in upload.data[-2048:]:
            raise CertificationError(_l("This PDF file is incomplete or damaged."), field)
        return CheckedDocument(upload, "application/pdf", "pdf")
    image_format = _image_format(upload.data)
    if image_format not in IMAGE_TYPES:
        raise CertificationError(_l("Upload a PDF file or an image (JPEG, PNG or WebP)."), field)
    mime_type, extension = IMAGE_TYPES[image_format]
    return CheckedDocument(upload, mime_type, extension)


def _image_format(data: bytes) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    return image_format


def storage_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "certification"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save(document: CheckedDocument) -> str:
    """Write the file under a new random name and return that name."""
    name = f"{secrets.token_hex(16)}.{document.extension}"
    (storage_folder() / name).write_bytes(document.upload.data)
    return name


def discard(names: list[str]) -> None:
    """Remove files written for a transaction that did not commit."""
    for name in names:
        (storage_folder() / name).unlink(missing_ok=True)


def path_of(stored_name: str) -> Path:
    return storage_folder() / stored_name


def shown_name(original: str) -> str:
    """Keep only the last part of a sent file name, for display and downloads."""
    name = (original or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or "document"
