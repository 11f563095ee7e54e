"""Deadlines count Chinese working days: holidays off, adjusted weekend days on, and a
Monday-to-Friday fallback (logged) for years the holiday calendar does not know yet."""
from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest

from marketplace.core import working_days
from marketplace.core.working_days import (
    add_working_days,
    calendar_knows,
    is_working_day,
    working_days_between,
    working_deadline,
)


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 10, 1), False),   # National Day, a Thursday
    (date(2026, 10, 7), False),   # still the Golden Week holiday, a Wednesday
    (date(2026, 10, 10), True),   # a Saturday worked in exchange
    (date(2026, 2, 14), True),    # a Saturday worked before the Spring Festival
    (date(2026, 2, 17), False),   # Spring Festival, a Tuesday
    (date(2026, 3, 7), False),    # an ordinary Saturday
    (date(2026, 3, 9), True),     # an ordinary Monday
])
def test_the_chinese_calendar_decides_what_a_working_day_is(day, working):
    assert is_working_day(day) is working


def test_ten_working_days_from_before_national_day_skip_the_golden_week():
    # Tuesday 29 September 2026: 30 Sep, then 1-7 Oct off, 8, 9, 10 (Saturday, worked), 12…
    assert add_working_days(date(2026, 9, 29), 10) == date(2026, 10, 19)
    assert working_days_between(date(2026, 9, 29), date(2026, 10, 19)) == 10
    # Plain weekday arithmetic would have said the 13th.
    assert working_days_between(date(2026, 9, 29), date(2026, 10, 13)) == 6


def test_counting_backwards_or_on_the_same_day_is_zero():
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == 0
    assert add_working_days(date(2026, 3, 9), 0) == date(2026, 3, 9)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 9), -1)


def test_a_year_the_calendar_does_not_know_counts_monday_to_friday_and_says_so(caplog):
    year = 2099
    assert not calendar_knows(year) and calendar_knows(2026)
    working_days._unknown_years.discard(year)
    with caplog.at_level(logging.WARNING, logger="marketplace.core.working_days"):
        assert is_working_day(date(year, 1, 1)) is True     # a Thursday: New Year's Day, yet unknown
        assert is_working_day(date(year, 1, 3)) is False    # a Saturday
        assert add_working_days(date(year, 1, 2), 3) == date(year, 1, 7)
    warnings = [r for r in caplog.records if str(year) in r.getMessage()]
    assert len(warnings) == 1 and "Monday to Friday" in warnings[0].getMessage()


def test_a_deadline_ends_at_midnight_beijing_time_after_the_last_working_day(app):
    # Friday 25 September 2026, 10:00 in Beijing; 3 working days: 28, 29, 30 September.
    placed = datetime(2026, 9, 25, 2, 0, tzinfo=UTC)
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Shanghai"
    assert working_deadline(placed, 3) == datetime(2026, 9, 30, 16, 0, tzinfo=UTC)
