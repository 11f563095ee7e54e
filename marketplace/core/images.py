"""Decoding checked images under a time limit, and writing them anew without what they hide.

Only images that core/uploads.py accepted (format, pixels and frames read from the
header) come here. Two ways out:

- `public_jpeg`: a photo others will see, re-encoded as JPEG with no metadata at all (no
  EXIF, no GPS, no comments, no XMP, no ICC profile and its text: colours are converted to
  sRGB first, so dropping the profile changes nothing on screen);
- `document_without_location`: an image sent as evidence (a lab report, a scanned form),
  written anew in its own format with its EXIF kept but the GPS position and XMP removed.

Decoding reads the bytes through a stream that stops at a deadline (UPLOAD_IMAGE_SECONDS),
checked at each block the decoder asks for and between the steps of the work.
"""
from __future__ import annotations

import io
import time
import warnings
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageCms, ImageOps

from marketplace.core.uploads import CheckedUpload, UploadRefused

#: EXIF tags removed from document images: the GPS position, and XMP (which can repeat it).
GPS_IFD = 0x8825
XMP_TAG = 0x02BC
_SRGB = ImageCms.createProfile("sRGB")


class ImageTimedOut(Exception):
    """Decoding or re-encoding one image took longer than UPLOAD_IMAGE_SECONDS."""


class _Deadline:
    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise ImageTimedOut()


class _StreamWithDeadline(io.BytesIO):
    """The file's bytes, refusing to hand out more once the deadline has passed."""

    def __init__(self, data: bytes, deadline: _Deadline):
        super().__init__(data)
        self.deadline = deadline

    def read(self, size: int | None = -1) -> bytes:
        self.deadline.check()
        return super().read(size)


@dataclass(frozen=True)
class EncodedPhoto:
    """A photo written anew as JPEG: full size and thumbnail, with the full size's pixels."""

    full: bytes
    thumbnail: bytes
    width: int
    height: int


def public_jpeg(checked: CheckedUpload, *, field: str, side: int, thumbnail_side: int,
                quality: int) -> EncodedPhoto:
    """Decode a photo, turn it upright and into sRGB, and write full and thumbnail JPEGs."""
    deadline = _deadline()
    with _guarded(checked, field):
        image = _decode(checked, deadline, draft_side=side)
        image = ImageOps.exif_transpose(image)
        deadline.check()
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
        deadline.check()
        image = _as_srgb(image)
        full = _bare_jpeg(image, quality)
        deadline.check()
        image.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS)
        thumbnail = _bare_jpeg(image, quality)
        deadline.check()
        width, height = Image.open(io.BytesIO(full)).size
    return EncodedPhoto(full, thumbnail, width, height)


def document_without_location(checked: CheckedUpload, *, field: str) -> bytes:
    """The bytes to store for a document: a PDF as sent, an image written anew without GPS."""
    if not checked.is_image:
        return checked.upload.data
    deadline = _deadline()
    with _guarded(checked, field):
        image = _decode(checked, deadline)
        exif = image.getexif()
        exif.pop(GPS_IFD, None)
        exif.pop(XMP_TAG, None)
        options = {"exif": exif.tobytes()}
        if image.info.get("icc_profile"):
            options["icc_profile"] = image.info["icc_profile"]
        buffer = io.BytesIO()
        # No `xmp=`, `comment=` or `pnginfo=`: those go, with any position they repeat.
        if checked.extension == "jpg":
            image.info.pop("comment", None)
            # The same quantisation as the original: no visible loss from writing it again.
            quality = "keep" if image.format == "JPEG" else 92
            image.save(buffer, "JPEG", quality=quality, **options)
        elif checked.extension == "png":
            image.save(buffer, "PNG", compress_level=3, **options)
        else:
            image.save(buffer, "WEBP", quality=90, **options)
        deadline.check()
    return buffer.getvalue()


def _deadline() -> _Deadline:
    return _Deadline(float(current_app.config["UPLOAD_IMAGE_SECONDS"]))


class _guarded:
    """Turn every failure of decoding or encoding into an UploadRefused naming the file."""

    def __init__(self, checked: CheckedUpload, field: str):
        self.checked, self.field = checked, field

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _traceback):
        if error is None or isinstance(error, UploadRefused):
            return False
        name = self.checked.upload.display_name
        if isinstance(error, ImageTimedOut):
            raise UploadRefused(_("%(name)s took too long to read: send a smaller or simpler image.",
                                  name=name), self.field) from error
        if isinstance(error, Exception):
            raise UploadRefused(_("%(name)s is damaged or incomplete and cannot be read.", name=name),
                                self.field) from error
        return False


def _decode(checked: CheckedUpload, deadline: _Deadline, draft_side: int | None = None) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = Image.open(_StreamWithDeadline(checked.upload.data, deadline),
                           formats=["JPEG", "PNG", "WEBP"])
        if (image.width, image.height) != (checked.width, checked.height):
            raise ValueError("the header changed between reads")
        if draft_side:
            # JPEG only: decode at 1/2, 1/4 or 1/8 scale when that still leaves the side
            # wanted, which is far faster and smaller than decoding every pixel.
            image.draft("RGB", (draft_side, draft_side))
        image.load()
    deadline.check()
    return image


def _as_srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB: transparent parts on white, a colour profile applied, not kept."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = image.point(lambda value: value / 256).convert("L")
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "CMYK", "L"):
        try:
            return ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                                             _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unusable profile: the pixels are kept as they are
    return image.convert("RGB")


def _bare_jpeg(image: Image.Image, quality: int) -> bytes:
    """Encode pixels only: a fresh image carries no info, so nothing rides along."""
    bare = Image.frombytes("RGB", image.size, image.convert("RGB").tobytes())
    buffer = io.BytesIO()
    bare.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()
