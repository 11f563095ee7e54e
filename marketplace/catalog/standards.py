"""The standards catalogue in force, as the catalog area sees it.

`marketplace.standards.services` owns the published versions (supervisors publish
revisions). Until that module is in place this falls back to the packaged catalogue and
records its standards as version rows on first use, so that every validated batch can
still name the version that judged it.
"""
from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from gi_standards import Catalogue, Standard, load_catalogue
from marketplace.extensions import db
from marketplace.standards.models import StandardVersion

_STANDARDS_SERVICES = "marketplace.standards.services"


def _standards_services():
    """The standards area's services module if it exists (None while it is being written)."""
    if importlib.util.find_spec(_STANDARDS_SERVICES) is None:
        return None
    return importlib.import_module(_STANDARDS_SERVICES)


@lru_cache(maxsize=1)
def _packaged_catalogue() -> Catalogue:
    return load_catalogue()


def current_catalogue() -> Catalogue:
    """Return the catalogue batches are validated against and listings are checked with."""
    services = _standards_services()
    if services is not None and hasattr(services, "current_catalogue"):
        return services.current_catalogue()
    return _packaged_catalogue()


def standard_for(slug: str | None) -> Standard | None:
    """Return the standard in force for a GI product slug, or None if there is no such one."""
    if not slug:
        return None
    return current_catalogue().get(slug)


def current_version(slug: str) -> StandardVersion:
    """Return the version row of the standard in force for `slug`.

    Runs inside the caller's transaction. The fallback inserts the packaged version once;
    two requests racing to insert it meet the (slug, version) unique key, and the loser
    reads the winner's row.
    """
    services = _standards_services()
    if services is not None and hasattr(services, "current_version"):
        return services.current_version(slug)
    standard = _packaged_catalogue()[slug]
    found = _version_row(standard)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            row = StandardVersion(slug=standard.slug, version=standard.version,
                                  fingerprint=standard.fingerprint, code=standard.code,
                                  source_text=standard.source_text, is_current=True)
            db.session.add(row)
    except IntegrityError:
        row = _version_row(standard)
    return row


def _version_row(standard: Standard) -> StandardVersion | None:
    return db.session.scalar(
        select(StandardVersion).where(StandardVersion.slug == standard.slug,
                                      StandardVersion.version == standard.version))


def gi_products(locale: str) -> list[tuple[str, str]]:
    """(slug, name) of every GI product in force, by name in `locale`, for choice lists."""
    catalogue = current_catalogue()
    return sorted(((slug, standard.name(locale)) for slug, standard in catalogue.items()),
                  key=lambda item: item[1])
