"""Calendar months of the index, in the marketplace's own time zone, and working days.

A month runs from midnight of its first day to midnight of the next month's first day,
local time (BABEL_DEFAULT_TIMEZONE, Asia/Shanghai by default); the database holds UTC.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from marketplace.insights.errors import BadMonth

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read "2026-10"; anything else is refused with a message naming the month."""
        match = _MONTH.match(str(text or "").strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise BadMonth(str(text or "")[:20])
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, moment: datetime, zone: str) -> Month:
        local = moment.astimezone(ZoneInfo(zone))
        return cls(local.year, local.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"

    def next(self) -> Month:
        return Month(self.year + self.number // 12, self.number % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.number == 1), (self.number - 2) % 12 + 1)

    def back(self, count: int) -> list[Month]:
        """This month and the `count - 1` before it, oldest first."""
        months = [self]
        for _ in range(count - 1):
            months.append(months[-1].previous())
        return months[::-1]

    def first_day(self) -> date:
        return date(self.year, self.number, 1)

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """Start (inclusive) and end (exclusive) as timezone-aware UTC datetimes."""
        tz = ZoneInfo(zone)
        start = datetime(self.year, self.number, 1, tzinfo=tz)
        following = self.next()
        end = datetime(following.year, following.number, 1, tzinfo=tz)
        return start.astimezone(timezone.utc), end.astimezone(timezone.utc)

    def naive_bounds(self, zone: str) -> tuple[datetime, datetime]:
        """The bounds as naive UTC, for the columns stored without a time zone."""
        start, end = self.bounds(zone)
        return start.replace(tzinfo=None), end.replace(tzinfo=None)


def working_days_between(start: datetime, end: datetime) -> float:
    """Working days (Monday to Friday) from `start` to `end`, counted in fractions of a day.

    Public holidays are not known to the site and count as working days (which makes a
    review look faster, never slower, than the rule's reckoning).
    """
    if end <= start:
        return 0.0
    total = 0.0
    cursor = start
    while cursor < end:
        next_midnight = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time(), cursor.tzinfo)
        stop = min(end, next_midnight)
        if cursor.weekday() < 5:
            total += (stop - cursor).total_seconds() / 86400
        cursor = stop
    return total
