"""The standards catalogue as certification reads it: one small door to the catalogue in force.

The app's catalogue in force (with supervisor-published versions) comes from
`marketplace.standards.services.current_catalogue()`; until that exists, the packaged
catalogue is used. Everything in this package asks here, so switching is one line.
"""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select

from marketplace.extensions import db


def current_catalogue():
    """Return the catalogue in force (a mapping of slug to gi_standards.Standard)."""
    try:
        from marketplace.standards.services import current_catalogue as in_force
    except ImportError:
        return _packaged_catalogue()
    return in_force()


@lru_cache(maxsize=1)
def _packaged_catalogue():
    from gi_standards import load_catalogue

    return load_catalogue()


def standard_for(slug: str | None):
    """Return the standard of a GI product, or None if the catalogue has no such product."""
    if not slug:
        return None
    return current_catalogue().get(slug)


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
    from marketplace.standards.models import StandardVersion

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
