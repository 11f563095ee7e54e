"""Demo search index: rebuilt from the demo listings at the end of `flask demo load`.

Listings made by the earlier steps are indexed after each commit already; rebuilding
here makes the demo index whole even if it was deleted or made by an older version.
Running it again gives the same index.
"""
from __future__ import annotations

import click

from marketplace.search import services


def load() -> None:
    total = services.listing_count()
    with click.progressbar(length=total, label="Search index", show_pos=True) as bar:
        services.reindex(progress=bar.update)
