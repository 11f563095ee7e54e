"""Lab report files attached to batches: a PDF or a photo of the paper report.

The shared upload stack decides the type from the content and writes an image anew
without its GPS position (a phone photo of a report says where the farm is); a PDF is
kept as sent. The file is stored under UPLOAD_FOLDER/lab-reports with a random name and
served only through `seller.lab_report`, after `can_view_lab_report` agrees.
"""
from __future__ import annotations

from dataclasses import dataclass

from marketplace.core.errors import DomainError
from marketplace.core import storage
from marketplace.core.images import document_without_location
from marketplace.core.uploads import Upload, UploadKind, UploadRefused, check_uploads

FIELD = "lab_report"
LAB_REPORT_UPLOADS = UploadKind(field=FIELD, max_bytes_setting="LAB_REPORT_MAX_BYTES", accepts_pdf=True)


@dataclass(frozen=True)
class PreparedLabReport:
    """A lab report checked and cleaned in memory, ready to be written."""

    data: bytes
    mime: str
    extension: str
    original_name: str


@dataclass(frozen=True)
class StoredLabReport:
    filename: str
    mime: str
    original_name: str


def prepare_lab_report(upload: Upload) -> PreparedLabReport:
    """Check a lab report and clean an image of its position; raise DomainError if refused."""
    try:
        [checked] = check_uploads([upload], LAB_REPORT_UPLOADS)
        data = document_without_location(checked, field=FIELD)
    except UploadRefused as refused:
        raise DomainError(str(refused), refused.field) from refused
    return PreparedLabReport(data, checked.mime, checked.extension, upload.display_name)


def store_lab_report(report: PreparedLabReport) -> StoredLabReport:
    """Write a prepared lab report; the file vanishes again if the save rolls back."""
    name = storage.write(storage.LAB_REPORTS, report.extension, report.data)
    return StoredLabReport(filename=name, mime=report.mime, original_name=report.original_name)
