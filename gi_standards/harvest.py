"""When a product may be harvested: months, and dates tied to the solar terms.

Standards word picking seasons by the 24 solar terms ("picked before 谷雨", "from 清明"),
whose day moves from year to year (谷雨 fell on 19 April 2024 and 20 April 2025), so a
rule keeps the term's name and the day is computed for the harvest's own year. The days
come from `borax`, which holds the terms of 1900–2100 from astronomical tables; it is
imported on first use so that loading the catalogue stays cheap.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

#: The 24 solar terms in calendar order from 小寒 (early January); English names after
#: the Hong Kong Observatory's list.
SOLAR_TERMS: dict[str, str] = {
    "小寒": "Minor Cold", "大寒": "Major Cold", "立春": "Start of Spring",
    "雨水": "Rain Water", "惊蛰": "Awakening of Insects", "春分": "Spring Equinox",
    "清明": "Clear and Bright", "谷雨": "Grain Rain", "立夏": "Start of Summer",
    "小满": "Grain Buds", "芒种": "Grain in Ear", "夏至": "Summer Solstice",
    "小暑": "Minor Heat", "大暑": "Major Heat", "立秋": "Start of Autumn",
    "处暑": "End of Heat", "白露": "White Dew", "秋分": "Autumn Equinox",
    "寒露": "Cold Dew", "霜降": "Frost's Descent", "立冬": "Start of Winter",
    "小雪": "Minor Snow", "大雪": "Major Snow", "冬至": "Winter Solstice",
}
#: The years whose terms the table covers.
FIRST_YEAR, LAST_YEAR = 1901, 2100


@lru_cache(maxsize=512)
def solar_term_day(year: int, term: str) -> date | None:
    """The day a solar term begins in a year (Beijing time), or None outside the table."""
    if term not in SOLAR_TERMS or not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    from borax.calendars.lunardate import TermUtils

    try:
        return TermUtils.nth_term_day(year, term_name=term)
    except (ValueError, IndexError, KeyError):
        return None


@dataclass(frozen=True)
class HarvestRule:
    """The harvest window of a standard.

    `months` lists the months allowed (empty: any). `before_term` asks the harvest to be
    earlier than the day that solar term begins; `from_term` asks it to be on or after
    that day. All parts given must hold.
    """

    months: tuple[int, ...] = ()
    before_term: str = ""
    from_term: str = ""
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.months or self.before_term or self.from_term)

    def term_window(self, year: int) -> tuple[date | None, date | None, bool]:
        """(first allowed day, first refused day, computable) of the term part for a year."""
        start = solar_term_day(year, self.from_term) if self.from_term else None
        end = solar_term_day(year, self.before_term) if self.before_term else None
        computable = (not self.from_term or start is not None) and (
            not self.before_term or end is not None)
        return start, end, computable

    def admits(self, harvest: date) -> bool | None:
        """Whether the date is allowed; None when a term's day cannot be computed."""
        if self.months and harvest.month not in self.months:
            return False
        start, end, computable = self.term_window(harvest.year)
        if not computable:
            return None
        return (start is None or harvest >= start) and (end is None or harvest < end)
