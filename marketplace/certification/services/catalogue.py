"""The standards catalogue as certification reads it: one small door to the catalogue in force.

The app's catalogue in force (with supervisor-published versions) comes from
`marketplace.standards.services.current_catalogue()`; until that exists, the packaged
catalogue is used. Everything in this package asks here, so switching is one line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.standards.models import StandardVersion
from marketplace.standards.services import catalogue_key_columns
from marketplace.standards.services import current_catalogue as in_force


def current_catalogue(key: tuple | None = None):
    """Return the catalogue in force (a mapping of slug to gi_standards.Standard).

    `key` is the catalogue's freshness key when the caller read it with its own rows
    (see `key_columns`).
    """
    return in_force(key=key) if key is not None else in_force()


def key_columns() -> tuple:
    """Scalar subqueries giving the catalogue's freshness key, to add to a page's query."""
    return catalogue_key_columns()


def standard_for(slug: str | None, key: tuple | None = None):
    """Return the standard of a GI product, or None if the catalogue has no such product."""
    if not slug:
        return None
    return current_catalogue(key).get(slug)


def product_name(slug: str | None, language: str) -> str:
    """The GI product's name in `language`, or its slug if the catalogue lost it."""
    standard = standard_for(slug)
    return standard.name(language) if standard is not None else (slug or "")


def product_choices(language: str) -> list[tuple[str, str]]:
    """(slug, "name (code)") for every GI product, for a select field."""
    return [(slug, f"{standard.name(language)} ({standard.code})")
            for slug, standard in current_catalogue().items()]


def area_status(slug: str, county_code: str) -> str | None:
    """"full" or "partial" if the county lies in the product's protected area, else None."""
    standard = standard_for(slug)
    return standard.area_status(county_code) if standard is not None else None


def version_label(slug: str) -> str:
    """How the version of the standard in force is cited, e.g. "GB/T 18650-2008 · v1"."""
    row = db.session.scalar(select(StandardVersion).where(
        StandardVersion.slug == slug, StandardVersion.is_current.is_(True)
    ).order_by(StandardVersion.version.desc()).limit(1))
    if row is not None:
        return row.label
    standard = standard_for(slug)
    return f"{standard.code} · v{standard.version}" if standard is not None else slug


def batch_version_label(batch) -> str:
    """How the standard version that validated `batch` is cited."""
    if batch.standard_version is not None:
        return batch.standard_version.label
    report = batch.validation or {}
    standard = standard_for(batch.standard_slug)
    if standard is not None and report.get("standard_version") is not None:
        return f"{standard.code} · v{report['standard_version']}"
    return version_label(batch.standard_slug)


def product_names(language: str) -> dict[str, str]:
    """Every GI product's name in `language`, by slug (for pages listing many files)."""
    return {slug: standard.name(language) for slug, standard in current_catalogue().items()}


@dataclass(frozen=True)
class ProtectionAnnouncement:
    """The official announcement that put a product under GI protection."""

    issuer: str
    year: int | None = None
    number: str = ""
    #: As the catalogue wrote it, when it did not follow "ISSUER YEAR No. N".
    text: str = ""

    def label(self, language: str) -> str:
        if self.text:
            return self.text
        names = _ISSUERS.get(self.issuer.upper(), (self.issuer, self.issuer))
        if language == "zh":
            return f"{names[0]}公告{self.year}年第{self.number}号"
        return f"{names[1]} announcement No. {self.number} of {self.year}"


#: Issuers of GI protection announcements, in Chinese and English.
_ISSUERS = {
    "AQSIQ": ("原国家质检总局", "AQSIQ"),
    "CNIPA": ("国家知识产权局", "CNIPA"),
    "SAIC": ("原国家工商总局", "SAIC"),
}
_ANNOUNCEMENT = re.compile(r"\b(AQSIQ|CNIPA|SAIC)\s+(?:announcement\s+)?(\d{4})\s+No\.?\s*(\d+)", re.IGNORECASE)


def protection_announcement(standard) -> ProtectionAnnouncement | None:
    """The announcement behind a product, as its catalogue file gives it, or None.

    A file may declare it (an `announcement` on the standard or its document); otherwise
    it is the announcement the file's standard code or source line cites, written the
    way the catalogue writes them ("AQSIQ announcement 2004 No. 66").
    """
    if standard is None:
        return None
    for holder in (standard, getattr(standard, "standard", None)):
        declared = getattr(holder, "announcement", None)
        if declared:
            found = _parse_announcement(str(getattr(declared, "code", declared)))
            return found or ProtectionAnnouncement("", text=str(getattr(declared, "code", declared)))
    document = standard.standard
    for text in (document.code, document.source, standard.notes):
        found = _parse_announcement(text or "")
        if found is not None:
            return found
    return None


def _parse_announcement(text: str) -> ProtectionAnnouncement | None:
    match = _ANNOUNCEMENT.search(text)
    if match is None:
        return None
    return ProtectionAnnouncement(match.group(1).upper(), int(match.group(2)), match.group(3))
