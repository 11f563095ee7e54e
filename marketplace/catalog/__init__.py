"""Batches and listings with their sizes: photos, lab reports, protected names, mass balance."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The catalogue's template filters, and the session hook that gives every listing a size."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.catalog import template_filters
    from marketplace.catalog.models.variant import install_session_hooks

    template_filters.init_app(app)
    install_session_hooks()
