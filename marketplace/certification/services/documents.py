"""Documents sent with GI applications: what the shared upload stack accepts for them.

A document is a PDF (kept as sent) or an image (a scan, a phone photo of a paper form),
which the stack writes anew without its GPS position. Its type comes from its content,
never its name; it is stored by a random name and its sent name is only shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from flask import abort, send_file
from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError
from marketplace.core import storage
from marketplace.core.images import document_without_location
from marketplace.core.text import clean_filename
from marketplace.core.uploads import (
    Upload,
    UploadKind,
    UploadRefused,
    check_pixel_budget,
    check_upload,
)

__all__ = ["Upload", "CheckedDocument", "check_documents", "save", "discard", "path_of", "shown_name"]


@dataclass(frozen=True)
class CheckedDocument:
    """A document checked and cleaned in memory: the bytes to store and what they are."""

    upload: Upload
    data: bytes
    mime_type: str
    extension: str


def _kind(field: str) -> UploadKind:
    return UploadKind(field=field, max_bytes_setting="CERTIFICATION_DOCUMENT_MAX_BYTES", accepts_pdf=True)


def check_documents(documents: Sequence[tuple[str, Upload | None]], *,
                    required: bool = True) -> list[CheckedDocument | None]:
    """Check the documents of one request, given as (field, upload) pairs, in that order.

    The images of all of them share one pixel budget; a missing document is refused when
    `required`, else comes back as None.
    """
    for field, upload in documents:
        if (upload is None or not upload.data and not upload.too_large) and required:
            raise DomainError(_l("Attach this document (PDF or image)."), field)
    present = [(field, upload) for field, upload in documents
               if upload is not None and (upload.data or upload.too_large)]
    try:
        checked = {field: check_upload(upload, _kind(field)) for field, upload in present}
        check_pixel_budget(list(checked.values()), present[0][0] if present else "")
        cleaned = {field: CheckedDocument(item.upload, document_without_location(item, field=field),
                                          item.mime, item.extension)
                   for field, item in checked.items()}
    except UploadRefused as refused:
        raise DomainError(str(refused), refused.field) from refused
    return [cleaned.get(field) for field, _upload in documents]


def check_document(upload: Upload | None, field: str, *, required: bool = True) -> CheckedDocument | None:
    """Check one document (see `check_documents`)."""
    return check_documents([(field, upload)], required=required)[0]


def save(document: CheckedDocument) -> str:
    """Write the file under a new random name and return that name."""
    return storage.write(storage.CERTIFICATION_DOCUMENTS, document.extension, document.data)


def discard(names: list[str]) -> None:
    """Remove files written for a transaction that did not commit."""
    storage.remove_now(storage.CERTIFICATION_DOCUMENTS, names)


def path_of(stored_name: str) -> Path | None:
    return storage.path_of(storage.CERTIFICATION_DOCUMENTS, stored_name)


def send_document(record):
    """The response serving a stored document, or 404 if its file is gone.

    The name is cleaned again here, not only when stored: a row written before names were
    cleaned must not break the Content-Disposition header (that was a 500).
    """
    path = path_of(record.stored_name)
    if path is None or not path.is_file():
        abort(404)
    return send_file(path, mimetype=record.mime_type, download_name=shown_name(record.original_name),
                     as_attachment=record.mime_type == "application/pdf")


def shown_name(original: str) -> str:
    """The sent file name fit for display and for a download's header."""
    return clean_filename(original, fallback="document")
