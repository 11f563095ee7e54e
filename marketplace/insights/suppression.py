"""Suppress small cells so that no one cooperative's figures can be read off.

A cell of a suppressed metric is withheld when fewer than `minimum` cooperatives (or
searches) stand behind it. For additive metrics a lone withheld cell among its siblings
could be recovered by subtracting the others from the total, so the next smallest sibling
is withheld too (siblings: the counties of one province, or all cells of another cut).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from marketplace.insights.metrics import BY_NAME


@dataclass(frozen=True)
class Cell:
    metric: str
    dimension: str
    key: str
    item: str
    value: float | None
    support: int
    suppressed: bool = False


def _sibling_group(cell: Cell, province_of: dict[str, str]) -> tuple:
    if cell.dimension == "county":
        return (cell.metric, cell.dimension, province_of.get(cell.key, ""))
    return (cell.metric, cell.dimension, cell.key if cell.item else "")


def suppress(cells: Iterable[Cell], minimum: int, province_of: dict[str, str] | None = None) -> list[Cell]:
    """Return the cells with small ones withheld (value None, `suppressed` True)."""
    province_of = province_of or {}
    out = []
    groups: dict[tuple, list[int]] = defaultdict(list)
    for cell in cells:
        metric = BY_NAME.get(cell.metric)
        small = metric is not None and metric.suppressed and cell.support < minimum
        out.append(replace(cell, value=None, suppressed=True) if small else cell)
        if metric is not None and metric.additive and cell.dimension != "all":
            groups[_sibling_group(cell, province_of)].append(len(out) - 1)
    for indexes in groups.values():
        withheld = [i for i in indexes if out[i].suppressed]
        if len(withheld) == 1:
            shown = sorted((i for i in indexes if not out[i].suppressed), key=lambda i: (out[i].support, out[i].value))
            if shown:
                out[shown[0]] = replace(out[shown[0]], value=None, suppressed=True)
    return out
