"""Read stored figures for a viewer: the public (suppressed), an official's counties, a supervisor.

Officials see their own counties' cells (and the cooperatives in them) unsuppressed and
everything else as the public does; supervisors see every cell of the city. Nothing here
computes a figure: it reads what snapshots.py stored.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from marketplace.cooperatives.models import Cooperative, County
from marketplace.extensions import db
from marketplace.insights.metrics import PRIVATE_DIMENSIONS
from marketplace.insights.models import InsightsFigure, InsightsMonth
from marketplace.insights.months import Month
from marketplace.insights.suppression import Cell, suppress


@dataclass(frozen=True)
class Viewer:
    kind: str = "public"
    counties: frozenset = field(default_factory=frozenset)

    @classmethod
    def of(cls, user) -> Viewer:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls()
        if user.is_supervisor:
            return cls("supervisor")
        if user.is_official:
            return cls("official", frozenset(user.county_codes))
        return cls()

    @property
    def may_drill_down(self) -> bool:
        return self.kind in ("official", "supervisor")


def province_of_counties() -> dict[str, str]:
    return dict(db.session.execute(select(County.code, County.province_zh)).all())


def cooperative_counties(ids) -> dict[str, str]:
    rows = db.session.execute(select(Cooperative.id, Cooperative.county_code).where(Cooperative.id.in_(ids)))
    return {str(ident): county for ident, county in rows}


def _rows(months: list[str], dimensions: tuple[str, ...], metrics: tuple[str, ...] | None = None):
    statement = (select(InsightsFigure.month, InsightsFigure.metric, InsightsFigure.dimension, InsightsFigure.key,
                        InsightsFigure.item, InsightsFigure.value, InsightsFigure.support)
                 .where(InsightsFigure.month.in_(months), InsightsFigure.dimension.in_(dimensions)))
    if metrics:
        statement = statement.where(InsightsFigure.metric.in_(metrics))
    return db.session.execute(statement).all()


def visible(cells: list[Cell], viewer: Viewer, province_of: dict[str, str]) -> list[Cell]:
    """The cells as this viewer may see them."""
    if viewer.kind != "supervisor":
        cells = [cell for cell in cells if cell.dimension not in PRIVATE_DIMENSIONS
                 or viewer.kind == "official"]
    if viewer.kind == "supervisor":
        return cells
    if viewer.kind == "official":
        coop_county = cooperative_counties([int(c.key) for c in cells if c.dimension == "cooperative"])
        cells = [c for c in cells if c.dimension != "cooperative" or coop_county.get(c.key) in viewer.counties]
    shown = suppress(cells, current_app.config["INSIGHTS_MIN_COUNT"], province_of)
    if viewer.kind != "official":
        return shown
    own = [i for i, c in enumerate(cells) if c.dimension in ("county", "cooperative")
           and (c.key in viewer.counties or c.dimension == "cooperative")]
    for index in own:
        shown[index] = cells[index]
    return shown


def month_cells(month: Month, dimensions: tuple[str, ...], viewer: Viewer) -> list[Cell]:
    province_of = province_of_counties() if "county" in dimensions else {}
    cells = [Cell(row.metric, row.dimension, row.key, row.item, row.value, row.support)
             for row in _rows([str(month)], dimensions)]
    return visible(cells, viewer, province_of)


def trend(metrics: tuple[str, ...], dimension: str, months: list[Month], viewer: Viewer) -> dict:
    """{(metric, key): {month: Cell}} over `months`, suppressed month by month."""
    province_of = province_of_counties() if dimension == "county" else {}
    by_month: dict[str, list[Cell]] = defaultdict(list)
    for row in _rows([str(m) for m in months], (dimension,), metrics):
        by_month[row.month].append(Cell(row.metric, row.dimension, row.key, row.item, row.value, row.support))
    series: dict = defaultdict(dict)
    for month, cells in by_month.items():
        for cell in visible(cells, viewer, province_of):
            if not cell.item:
                series[(cell.metric, cell.key)][month] = cell
    return series


def status_of(months: list[Month]) -> dict[str, InsightsMonth]:
    rows = db.session.scalars(select(InsightsMonth).where(InsightsMonth.month.in_([str(m) for m in months])))
    return {row.month: row for row in rows}
