"""Limits on one quality parameter: what they admit, how they combine, how they read."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

Number = int | float

#: Keys of a limit table in a catalogue file.
BOUND_KEYS = ("min", "max", "gt", "lt")
LIMIT_KEYS = BOUND_KEYS + ("allowed",)


@dataclass(frozen=True)
class Bound:
    """One end of a numeric range, with the key it came from (for error messages)."""

    value: Number
    exclusive: bool
    key: str


@dataclass(frozen=True)
class Limit:
    """What a standard requires of one measurement.

    Inclusive bounds (`min`, `max`) and exclusive ones (`gt`, `lt`) are kept apart rather
    than folded into one pair, so that "> 10.5 %" is checked and shown exactly as the
    standard words it. A text parameter lists its `allowed` values instead. An empty
    limit (nothing set) admits everything.
    """

    min: Number | None = None
    max: Number | None = None
    gt: Number | None = None
    lt: Number | None = None
    allowed: tuple[str, ...] | None = None

    @property
    def is_text(self) -> bool:
        return self.allowed is not None

    @property
    def is_empty(self) -> bool:
        return self.allowed is None and all(getattr(self, key) is None for key in BOUND_KEYS)

    def lower(self) -> Bound | None:
        """The binding lower bound; at equal values the exclusive one binds."""
        candidates = [Bound(v, ex, k) for v, ex, k in
                      ((self.min, False, "min"), (self.gt, True, "gt")) if v is not None]
        return max(candidates, key=lambda b: (b.value, b.exclusive), default=None)

    def upper(self) -> Bound | None:
        """The binding upper bound; at equal values the exclusive one binds."""
        candidates = [Bound(v, ex, k) for v, ex, k in
                      ((self.max, False, "max"), (self.lt, True, "lt")) if v is not None]
        return min(candidates, key=lambda b: (b.value, not b.exclusive), default=None)

    def admits_some_value(self) -> bool:
        """Tell whether any value at all can meet this limit (catches min above max)."""
        if self.allowed is not None:
            return bool(self.allowed)
        low, high = self.lower(), self.upper()
        if low is None or high is None:
            return True
        if low.value != high.value:
            return low.value < high.value
        return not (low.exclusive or high.exclusive)

    def contains(self, value: Number | str) -> bool:
        """Tell whether a measurement (already parsed, see `parse_number`) meets the limit."""
        if self.allowed is not None:
            wanted = normalize_text(str(value))
            return any(normalize_text(option) == wanted for option in self.allowed)
        if isinstance(value, str) or not math.isfinite(value):
            return False
        low, high = self.lower(), self.upper()
        if low is not None and (value <= low.value if low.exclusive else value < low.value):
            return False
        if high is not None and (value >= high.value if high.exclusive else value > high.value):
            return False
        return True

    def tighten(self, other: Limit | None) -> Limit:
        """Combine with a stricter layer (a grade): a value must then meet both."""
        if other is None or other.is_empty:
            return self
        if self.is_empty:
            return other
        if self.is_text != other.is_text:
            raise ValueError("cannot combine a text limit with a numeric one")
        if self.allowed is not None:
            theirs = {normalize_text(option) for option in other.allowed or ()}
            return Limit(allowed=tuple(a for a in self.allowed if normalize_text(a) in theirs))
        return Limit(
            min=_pick(max, self.min, other.min), max=_pick(min, self.max, other.max),
            gt=_pick(max, self.gt, other.gt), lt=_pick(min, self.lt, other.lt),
        )

    def looser_than(self, base: Limit) -> str | None:
        """The key of a bound of this limit that admits more than `base` does, if any.

        A grade that says `max = 7.5` where the base says `max = 7.0` is a mistake in the
        file, even though the base would still bind: the grade would read as a promise the
        standard does not make. Only the bounds this limit sets are compared.
        """
        if self.allowed is not None:
            if base.allowed is None:
                return None
            theirs = {normalize_text(option) for option in base.allowed}
            return "allowed" if any(normalize_text(a) not in theirs for a in self.allowed) else None
        mine, theirs = self.lower(), base.lower()
        if mine and theirs and (mine.value < theirs.value or (
                mine.value == theirs.value and theirs.exclusive and not mine.exclusive)):
            return mine.key
        mine, theirs = self.upper(), base.upper()
        if mine and theirs and (mine.value > theirs.value or (
                mine.value == theirs.value and theirs.exclusive and not mine.exclusive)):
            return mine.key
        return None

    def describe(self, unit: str = "") -> str:
        """Say the limit the way a standard prints it: "≤ 6.5 %", "80–150 g", "> 10.5 %"."""
        if self.allowed is not None:
            return " / ".join(self.allowed)
        low, high = self.lower(), self.upper()
        suffix = f" {unit}" if unit else ""
        if low is None and high is None:
            return "—"
        if low and high and not low.exclusive and not high.exclusive:
            if low.value == high.value:
                return f"= {format_number(low.value)}{suffix}"
            return f"{format_number(low.value)}–{format_number(high.value)}{suffix}"
        parts = []
        if low is not None:
            parts.append(f"{'>' if low.exclusive else '≥'} {format_number(low.value)}{suffix}")
        if high is not None:
            parts.append(f"{'<' if high.exclusive else '≤'} {format_number(high.value)}{suffix}")
        return ", ".join(parts)


def _pick(choose, a: Number | None, b: Number | None) -> Number | None:
    if a is None:
        return b
    if b is None:
        return a
    return choose(a, b)


def format_number(value: Number) -> str:
    """Print a figure as the standard does: 6.5, 8.0, 150 (never 6.500000001)."""
    return str(value)


def normalize_text(value: str) -> str:
    """Compare text values without regard to width, case or surrounding blanks."""
    return unicodedata.normalize("NFKC", value).strip().casefold()


def parse_number(raw: object, unit: str = "") -> float | None:
    """Read a measurement as a finite number, or None when it is not one.

    Web forms send text, so "6.5", "６.５" and "6.5 %" (with the parameter's own unit) are
    read as 6.5; true/false, NaN and infinities are not numbers here.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float, Decimal)):
        try:
            number = float(raw)
        except (OverflowError, ValueError, InvalidOperation):
            return None
        return number if math.isfinite(number) else None
    if not isinstance(raw, str):
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    if unit and text.endswith(unit):
        text = text[: -len(unit)].strip()
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
