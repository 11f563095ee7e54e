"""Uploaded files as plain values, and what their content (not their name) says they are.

Views turn a werkzeug FileStorage into an `Upload` so that services never see the request;
the content is read once, with a ceiling, so an oversized file is refused without being
held in memory whole.
"""
from __future__ import annotations

import unicodedata
import warnings
from dataclasses import dataclass
from io import BytesIO

from PIL import Image

#: Image formats accepted from sellers, as Pillow names them, with their MIME type.
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
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
        """The file name safe to show back: no path, no control characters, at most 80."""
        name = (self.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
        return name[:80] or "file"


def read_upload(storage, max_bytes: int) -> Upload | None:
    """Read a werkzeug FileStorage (or None) into an Upload, keeping at most `max_bytes`."""
    if storage is None or not getattr(storage, "filename", None):
        return None
    data = storage.stream.read(max_bytes + 1)
    return Upload(storage.filename, data[:max_bytes], too_large=len(data) > max_bytes)


def size_text(limit: int) -> str:
    """A byte limit as people say it: "10 MB", "500 KB"."""
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    return f"{max(1, limit // 1024)} KB"


class NotAnImage(ValueError):
    """The bytes are not a whole image of an accepted format."""


class ImageTooLarge(ValueError):
    """The image declares more pixels than allowed (a decompression bomb, or just huge)."""


def open_image(data: bytes, max_pixels: int) -> Image.Image:
    """Open, check and fully decode an image from its bytes; return it loaded.

    The format comes from the content. Pillow's own bomb guard is set to `max_pixels`
    and its warning is treated as an error too, so an image over the limit is refused
    before its pixels are decoded. `verify()` catches truncated and corrupt files.
    """
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(BytesIO(data))
            if probe.format not in IMAGE_TYPES:
                raise NotAnImage(probe.format or "unknown")
            width, height = probe.size
            if width < 1 or height < 1:
                raise NotAnImage("empty")
            if width * height > max_pixels:
                raise ImageTooLarge(f"{width}x{height}")
            probe.verify()
            image = Image.open(BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageTooLarge(str(error)) from error
        except (NotAnImage, ImageTooLarge):
            raise
        except Exception as error:  # noqa: BLE001 - decoders fail in many ways on crafted files
            raise NotAnImage(str(error)) from error
    return image


def sniff_pdf(data: bytes) -> bool:
    """Tell whether bytes are a PDF document: the header at the start, an end marker."""
    return data.startswith(PDF_MAGIC) and b"%%EOF" in data[-2048:]
