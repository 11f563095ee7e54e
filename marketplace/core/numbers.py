"""Whole numbers and dates read from what people type, always within what the database holds.

`int("²")` raises, `int("9" * 30)` overflows a database column, `int("١٢")` is 12, and
`date(9999, 12, 31) + timedelta(days=1)` raises: each of these once ended in a 500. Every
integer a request carries (form field or query string) is read by `parse_int`, and every
date range a filter uses is passed through `clamp_date`.
"""
from __future__ import annotations

import re
from datetime import date

#: What a database INTEGER column holds on every backend we run on (PostgreSQL's int4).
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
#: The dates a filter or a form may name; beyond them, date arithmetic would overflow.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)

_ASCII_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


def parse_int(text, *, minimum: int = INT_MIN, maximum: int = INT_MAX) -> int | None:
    """The integer `text` spells in ASCII digits, within [minimum, maximum]; else None.

    Surrounding spaces are allowed; superscripts, other scripts' digits, "--5", "1e3" and
    numbers longer than 18 digits are not numbers here.
    """
    if text is None:
        return None
    candidate = str(text).strip()
    if not _ASCII_INTEGER.fullmatch(candidate):
        return None
    value = int(candidate)
    return value if minimum <= value <= maximum else None


def int_arg(args, name: str, default: int | None = None, *, minimum: int = 1,
            maximum: int = INT_MAX) -> int | None:
    """Read one integer from a query string (a MultiDict); `default` when absent or unusable.

    Query strings are hand-edited and shared: a page number of "²" or of 30 digits gives
    the default page rather than an error.
    """
    value = parse_int(args.get(name), minimum=minimum, maximum=maximum)
    return default if value is None else value


def clamp_date(value: date | None) -> date | None:
    """Bring a date inside [DATE_MIN, DATE_MAX] so that a day more or less never overflows."""
    if value is None:
        return None
    return min(max(value, DATE_MIN), DATE_MAX)
