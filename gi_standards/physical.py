"""What a measurement can physically be, whatever a standard asks of it.

A percentage lies in 0–100, a mass or a size is above 0, a duration is not negative. The
loader refuses a limit outside these bounds (a `max = 150` on a percentage is a typo, not
a standard), and the engine refuses a measurement outside them with its own finding,
before any limit is looked at: a negative moisture is a wrong lab report, not a very dry
tea, and must never count towards a grade.

The bounds come from the parameter's unit. A parameter whose unit says nothing about its
range (a ratio, a count per 50 g) declares its own with `physical = { gt = 0 }`, which
may narrow the unit's bounds but never widen them.
"""
from __future__ import annotations

from .limits import Limit

#: Bounds by unit; `describe` of each reads as the rule ("0–100 %", "> 0 g").
UNIT_BOUNDS: dict[str, Limit] = {
    "%": Limit(min=0, max=100),
    "g": Limit(gt=0), "mg": Limit(gt=0), "kg": Limit(gt=0),
    "mm": Limit(gt=0), "cm": Limit(gt=0), "m": Limit(gt=0),
    "d": Limit(min=0), "h": Limit(min=0),
    "°C": Limit(min=-273.15),
}

#: How each unit's quantity is named in a problem or a finding (zh, en).
UNIT_KINDS: dict[str, tuple[str, str]] = {
    "%": ("百分比", "a percentage"),
    "g": ("质量", "a mass"), "mg": ("质量", "a mass"), "kg": ("质量", "a mass"),
    "mm": ("长度", "a size"), "cm": ("长度", "a size"), "m": ("长度", "a size"),
    "d": ("时长", "a duration"), "h": ("时长", "a duration"),
    "°C": ("温度", "a temperature"),
}


def unit_bounds(unit: str) -> Limit | None:
    """The bounds a unit implies, or None when the unit implies none."""
    return UNIT_BOUNDS.get(unit)


def kind_of(unit: str) -> tuple[str, str]:
    return UNIT_KINDS.get(unit, ("该量", "this quantity"))


def outside_bound_values(limit: Limit, bounds: Limit) -> list[tuple[str, float]]:
    """The (key, value) pairs of a numeric limit that lie beyond what `bounds` allows.

    A bound equal to a physical edge is fine (`max = 100` on a percentage, `min = 0` on a
    duration); one beyond it (`max = 150`, `min = -1`) contradicts the physics.
    """
    if limit.is_text:
        return []
    low, high = bounds.lower(), bounds.upper()
    beyond = []
    for key in ("min", "gt", "max", "lt"):
        value = getattr(limit, key)
        if value is None:
            continue
        if (low is not None and value < low.value) or (high is not None and value > high.value):
            beyond.append((key, value))
    return beyond
