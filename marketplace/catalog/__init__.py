"""Batches and listings: photos, lab reports, protected names, mass balance."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The catalogue's template filters, for every page that shows a listing or a batch."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.catalog import template_filters

    template_filters.init_app(app)
