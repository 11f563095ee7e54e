"""Uploaded files, from the request to bytes a service may store: one stack for every area.

Listing photos, lab reports and certification documents each describe what they accept
in an `UploadKind`; everything else happens here, the same way for all of them:

1. `read_upload` reads a file with a ceiling, so an oversized file is never held whole;
2. `check_uploads` decides the type from the content (never the name or the browser's
   word), and reads each image's size and frame count from its header only: an image, or
   all images of one request together, with too many pixels is refused before a single
   pixel is decoded (one small PNG can declare 40 million pixels);
3. core/images.py then decodes each accepted image under a time limit and writes it anew
   (photos without any metadata, document images without their location).

File names are only ever shown, never used to store: `Upload.display_name` is cleaned of
paths, control and direction characters.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Sequence

from flask import current_app
from flask_babel import gettext as _
from PIL import Image

from marketplace.core.text import clean_filename

#: Image formats accepted, as Pillow names them, with MIME type and stored extension.
#: MPO is how Pillow names the JPEG files of phones that carry a second, preview frame.
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"), "MPO": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp"),
}
PDF = ("application/pdf", "pdf")
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class Upload:
    """A file as the user sent it: its name (for messages only) and its bytes.

    `too_large` is set when the file was longer than the ceiling it was read with; `data`
    then holds only the first bytes.
    """

    filename: str
    data: bytes
    too_large: bool = False

    @property
    def display_name(self) -> str:
        """The file name safe to show back: no path, no control or direction characters."""
        return clean_filename(self.filename, longest=80)


def read_upload(file_storage, max_bytes: int) -> Upload | None:
    """Read a werkzeug FileStorage (or None) into an Upload, keeping at most `max_bytes`."""
    if file_storage is None or not getattr(file_storage, "filename", None):
        return None
    data = file_storage.stream.read(max_bytes + 1)
    return Upload(file_storage.filename, data[:max_bytes], too_large=len(data) > max_bytes)


@dataclass(frozen=True)
class UploadKind:
    """What one upload field accepts; the area owning the files configures it.

    `max_bytes_setting` names the config key of the largest file; `accepts_pdf` lets PDF
    documents in beside images.
    """

    field: str
    max_bytes_setting: str
    accepts_pdf: bool = False

    @property
    def max_bytes(self) -> int:
        return int(current_app.config[self.max_bytes_setting])


class UploadRefused(ValueError):
    """An upload the user must replace; the message names the file, `field` the form field."""

    def __init__(self, message, field: str):
        super().__init__(str(message))
        self.field = field


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose type its content proves; images with their header's size."""

    upload: Upload
    mime: str
    extension: str
    width: int = 0
    height: int = 0

    @property
    def is_image(self) -> bool:
        return self.mime != PDF[0]

    @property
    def pixels(self) -> int:
        return self.width * self.height


def size_text(limit: int) -> str:
    """A byte limit as people say it: "10 MB", "500 KB"."""
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    return f"{max(1, limit // 1024)} KB"


def check_uploads(uploads: Sequence[Upload], kind: UploadKind) -> list[CheckedUpload]:
    """Check every upload of one request from its bytes and headers, decoding no pixel.

    Raise UploadRefused for the first file refused, or when the images together hold
    more pixels than one request may (see `check_pixel_budget`).
    """
    checked = [check_upload(upload, kind) for upload in uploads]
    check_pixel_budget(checked, kind.field)
    return checked


def check_pixel_budget(checked: Sequence[CheckedUpload], field: str) -> None:
    """Refuse the images of one request if together they exceed UPLOAD_REQUEST_MAX_PIXELS.

    Each image alone may be within its limit while eight of them still hold a worker for
    half a minute: the budget is what one request may make the server decode.
    """
    budget = current_app.config["UPLOAD_REQUEST_MAX_PIXELS"]
    if sum(item.pixels for item in checked) > budget:
        raise UploadRefused(_(
            "These images hold too many pixels together (at most %(mp)s megapixels in one "
            "upload): send fewer or smaller images.", mp=budget // 1_000_000), field)


def check_upload(upload: Upload, kind: UploadKind) -> CheckedUpload:
    """Check one upload: its size, its type by content, an image's pixels and frames."""
    name = upload.display_name
    if upload.too_large or len(upload.data) > kind.max_bytes:
        raise UploadRefused(_("%(name)s is larger than %(size)s.", name=name,
                              size=size_text(kind.max_bytes)), kind.field)
    if not upload.data:
        raise UploadRefused(_("%(name)s is empty.", name=name), kind.field)
    if kind.accepts_pdf and upload.data.startswith(PDF_MAGIC):
        if b"%%EOF" not in upload.data[-2048:]:
            raise UploadRefused(_("%(name)s is an incomplete or damaged PDF file.", name=name), kind.field)
        return CheckedUpload(upload, *PDF)
    return _check_image_header(upload, kind)


def _not_accepted(upload: Upload, kind: UploadKind) -> UploadRefused:
    name = upload.display_name
    if kind.accepts_pdf:
        return UploadRefused(_("%(name)s is neither a PDF nor a JPEG, PNG or WebP image.", name=name),
                             kind.field)
    return UploadRefused(_("%(name)s is not a JPEG, PNG or WebP image.", name=name), kind.field)


def _check_image_header(upload: Upload, kind: UploadKind) -> CheckedUpload:
    config = current_app.config
    name = upload.display_name
    max_pixels = config["UPLOAD_IMAGE_MAX_PIXELS"]
    too_many_pixels = UploadRefused(_("%(name)s has too many pixels (at most %(mp)s megapixels).",
                                      name=name, mp=max_pixels // 1_000_000), kind.field)
    try:
        with warnings.catch_warnings():
            # Pillow warns of (and past twice its own limit, refuses) large images; our own
            # lower limit below decides, with a message that names the file.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Image.open reads the header only; the plugins are limited to the accepted
            # formats, so no other parser ever sees hostile bytes.
            with Image.open(io.BytesIO(upload.data), formats=["JPEG", "PNG", "WEBP"]) as image:
                image_format = image.format
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError as error:
        raise too_many_pixels from error
    except Exception as error:  # noqa: BLE001 - parsers fail in many ways on crafted headers
        raise _not_accepted(upload, kind) from error
    if image_format not in IMAGE_TYPES or width < 1 or height < 1:
        raise _not_accepted(upload, kind)
    if width * height > max_pixels:
        raise too_many_pixels
    max_frames = config["UPLOAD_IMAGE_MAX_FRAMES"]
    if frames > max_frames:
        raise UploadRefused(_("%(name)s holds too many frames (at most %(count)s).", name=name,
                              count=max_frames), kind.field)
    mime, extension = IMAGE_TYPES[image_format]
    return CheckedUpload(upload, mime, extension, width, height)
