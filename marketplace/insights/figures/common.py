"""What every theme shares: the month's window, the figure record, cells and percentiles."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from marketplace.insights.months import Month


@dataclass(frozen=True)
class MonthWindow:
    """The month being computed, its bounds in UTC, and the settings the figures use."""

    month: Month
    start: datetime
    end: datetime
    review_working_days: int = 10
    scan_warning_threshold: int = 50
    top_words: int = 10

    @property
    def naive_start(self) -> datetime:
        return self.start.replace(tzinfo=None)

    @property
    def naive_end(self) -> datetime:
        return self.end.replace(tzinfo=None)


@dataclass(frozen=True)
class Figure:
    metric: str
    dimension: str
    key: str
    value: float
    #: Cooperatives (or searches) behind the value: what suppression counts.
    support: int
    item: str = ""


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (0.5 the median, 0.9 the 90th) of non-empty `values`."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def share(part: float, whole: float) -> float:
    """`part` as a percentage of `whole`, rounded to one decimal (0 when there is no whole)."""
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass
class Cell:
    """What a cut (a province, a county…) gathers while the rows go by."""

    amount: int = 0
    part: int = 0
    cooperatives: set = field(default_factory=set)
    orders: set = field(default_factory=set)
    buyers: set = field(default_factory=set)
    values: list = field(default_factory=list)
    count: int = 0


class Cells(defaultdict):
    """(dimension, key) → Cell, filled by `add` for each cut a row belongs to."""

    def __init__(self):
        super().__init__(Cell)

    def cuts(self, cuts: list[tuple[str, str]]) -> list[Cell]:
        return [self[cut] for cut in cuts if cut[1] is not None]
