"""The figures of one month, computed from the database by one module per theme.

Each theme's `compute(month, zone, settings)` returns a list of `Figure`s; `compute_month`
gathers them all. The themes read orders, certification, catalog and search tables and
write nothing: the snapshot service stores what they return.
"""
from __future__ import annotations

from collections.abc import Callable

from marketplace.insights.figures import demand, logistics, sales, service, supply, trust
from marketplace.insights.figures.common import Figure, MonthWindow

#: (theme name, computation) in the order `flask insights publish` reports them.
THEMES: tuple[tuple[str, Callable[[MonthWindow], list[Figure]]], ...] = (
    ("sales", sales.compute),
    ("supply", supply.compute),
    ("trust", trust.compute),
    ("logistics", logistics.compute),
    ("service", service.compute),
    ("demand", demand.compute),
)


def compute_month(window: MonthWindow, progress: Callable[[str, int], None] | None = None) -> list[Figure]:
    """Every figure of the month; `progress(theme, figure_count)` after each theme."""
    figures: list[Figure] = []
    for name, compute in THEMES:
        found = compute(window)
        figures.extend(found)
        if progress:
            progress(name, len(found))
    return figures
