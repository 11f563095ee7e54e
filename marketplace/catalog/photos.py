"""Listing photos: checked from their content, re-encoded, shrunk, thumbnailed, stripped.

Nothing a seller uploads is served as it came: every photo is decoded and written anew as
JPEG, which drops EXIF (camera serials, GPS position of the farm) and anything hidden in
the file, and turns it upright first so that dropping the orientation tag changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps

from marketplace.catalog import storage
from marketplace.catalog.errors import CatalogError
from marketplace.catalog.uploads import ImageTooLarge, Upload, open_image, size_text

FIELD = "photos"


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo re-encoded in memory, ready to be written: full size and thumbnail JPEGs."""

    full: bytes
    thumbnail: bytes
    width: int
    height: int


@dataclass(frozen=True)
class StoredPhoto:
    """The files written for one photo, by their random names, and its size in pixels."""

    filename: str
    thumbnail: str
    width: int
    height: int


def prepare_photo(upload: Upload) -> PreparedPhoto:
    """Check and re-encode one upload, writing nothing; raise CatalogError if it is refused."""
    config = current_app.config
    name = upload.display_name
    if upload.too_large:
        raise CatalogError(_("%(name)s is larger than %(size)s.", name=name,
                             size=size_text(config["PHOTO_MAX_BYTES"])), FIELD)
    try:
        image = open_image(upload.data, config["PHOTO_MAX_PIXELS"])
        upright = _as_rgb(image)
        full = _jpeg(upright, config["PHOTO_MAX_SIDE"], config["PHOTO_JPEG_QUALITY"])
        thumb = _jpeg(upright, config["PHOTO_THUMBNAIL_SIDE"], config["PHOTO_JPEG_QUALITY"])
    except ImageTooLarge as error:
        raise CatalogError(_("%(name)s has too many pixels (at most %(mp)s megapixels).", name=name,
                             mp=config["PHOTO_MAX_PIXELS"] // 1_000_000), FIELD) from error
    except Exception as error:  # noqa: BLE001 - decoders fail in many ways on crafted files
        raise CatalogError(_("%(name)s is not a JPEG, PNG or WebP image.", name=name), FIELD) from error
    width, height = Image.open(BytesIO(full)).size
    return PreparedPhoto(full, thumb, width, height)


def _as_rgb(image: Image.Image) -> Image.Image:
    """Turn the image upright and into RGB, transparent parts on white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _jpeg(image: Image.Image, side: int, quality: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    # No `exif=` and no `icc_profile=`: the new file carries pixels only.
    copy.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def store_photo(photo: PreparedPhoto) -> StoredPhoto:
    """Write a prepared photo and its thumbnail; both vanish if the save rolls back."""
    return StoredPhoto(
        filename=storage.write(storage.PHOTOS, "jpg", photo.full),
        thumbnail=storage.write(storage.PHOTOS, "jpg", photo.thumbnail),
        width=photo.width, height=photo.height,
    )
