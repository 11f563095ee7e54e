"""Working days of mainland China: public holidays off, adjusted (swapped) weekend days on.

Every deadline counted in working days (an official's review, a seller's answer to an
after-sales request) goes through this module, so they all agree on what a working day is.
The calendar comes from `chinese-calendar`, which knows each year once the State Council
has published its holiday notice (usually in the autumn before). For a year it does not
know yet, Monday to Friday are counted as working days and a warning is logged once per
year and process: a deadline then may fall a day or two early around a holiday, never
silently nowhere.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from flask import current_app

from marketplace.core.timeutil import as_utc

log = logging.getLogger(__name__)

#: Years already reported as unknown to the calendar (one warning each).
_unknown_years: set[int] = set()


def is_working_day(day: date) -> bool:
    """Say whether `day` is a working day in mainland China."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _unknown_years:
            _unknown_years.add(day.year)
            log.warning("The holiday calendar does not know %s yet: counting Monday to Friday as working "
                        "days (upgrade chinese-calendar once the State Council publishes the year).", day.year)
        return day.weekday() < 5


def calendar_knows(year: int) -> bool:
    """Say whether the holiday calendar has the official holidays of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def add_working_days(start: date, days: int) -> date:
    """Return the date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Count the working days after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def local_date(moment: datetime) -> date:
    """The calendar date of a moment in the shop's time zone (Beijing time by default)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return as_utc(moment).astimezone(zone).date()


def working_deadline(moment: datetime, days: int) -> datetime:
    """The end (local midnight, in UTC) of the `days`-th working day after `moment`."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    last_day = add_working_days(local_date(moment), days)
    return datetime.combine(last_day + timedelta(days=1), time(), tzinfo=zone).astimezone(as_utc(moment).tzinfo)
