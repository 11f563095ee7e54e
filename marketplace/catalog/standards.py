"""The standards catalogue in force, as the catalog area reads it.

`marketplace.standards.services` owns the published versions; this module only keeps the
catalogue for the length of one request (`g`), since a page may ask for several product
and grade names and each call there checks the database for a newer version.
"""
from __future__ import annotations

from flask import g, has_app_context

from gi_standards import Catalogue, Standard
from marketplace.standards import services as standards
from marketplace.standards.models import StandardVersion


def current_catalogue() -> Catalogue:
    """Return the catalogue batches are validated against and listings are checked with."""
    if not has_app_context():
        return standards.current_catalogue()
    catalogue = g.get("_terroir_catalogue")
    if catalogue is None:
        catalogue = g._terroir_catalogue = standards.current_catalogue()
    return catalogue


def standard_for(slug: str | None) -> Standard | None:
    """Return the standard in force for a GI product slug, or None if there is no such one."""
    if not slug:
        return None
    return current_catalogue().get(slug)


def current_version(slug: str) -> StandardVersion:
    """Return the version row of the standard in force for `slug` (in the caller's transaction)."""
    return standards.current_version(slug)


def forget_catalogue() -> None:
    """Drop the request's copy (after a supervisor publishes, in the same request)."""
    if has_app_context():
        g.pop("_terroir_catalogue", None)
