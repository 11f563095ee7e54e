"""Typed reading of TOML values that notes every problem instead of stopping at the first.

The schema in `schema.py` reads a file through a `Reader`; each accessor returns a usable
value or None, and records why not, with the key path, so one pass reports everything.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time

from .errors import Problem
from .limits import BOUND_KEYS, LIMIT_KEYS, Limit

_MISSING = object()


def type_name(value: object) -> str:
    """Name a TOML value's type the way a supervisor editing the file would."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (date, datetime, time)):
        return "a date or time"
    return type(value).__name__


def join_path(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        key = '"' + key.replace('"', '\\"') + '"'
    return f"{path}.{key}" if path else key


class Reader:
    """Collects the problems of one file while its values are read."""

    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []

    def problem(self, key: str, reason: str) -> None:
        self.problems.append(Problem(self.filename, key, reason))

    def only_keys(self, table: dict, allowed, path: str) -> None:
        """Reject keys the format does not know: they are almost always typos."""
        for key in table:
            if key not in allowed:
                self.problem(join_path(path, key),
                             f"unknown key; expected one of: {', '.join(sorted(allowed))}")

    def get(self, table: dict, key: str, path: str, kind, required: bool = False):
        """Read `table[key]` if it has the wanted type; note a problem otherwise."""
        value = table.get(key, _MISSING)
        where = join_path(path, key)
        if value is _MISSING:
            if required:
                self.problem(where, "missing required key")
            return None
        if not _is_kind(value, kind):
            self.problem(where, f"must be {_kind_name(kind)}, not {type_name(value)}")
            return None
        if isinstance(value, str) and not value.strip():
            if required:
                self.problem(where, "must not be empty")
            return None
        return value.strip() if isinstance(value, str) else value

    def text_list(self, table: dict, key: str, path: str) -> tuple[str, ...]:
        """Read a list of unique, non-empty strings."""
        items = self.get(table, key, path, list)
        result: list[str] = []
        for index, item in enumerate(items or ()):
            where = join_path(join_path(path, key), index)
            if not isinstance(item, str):
                self.problem(where, f"must be text, not {type_name(item)}")
            elif not item.strip():
                self.problem(where, "must not be empty")
            elif item.strip() in result:
                self.problem(where, f"{item.strip()!r} appears twice")
            else:
                result.append(item.strip())
        return tuple(result)

    def limit(self, table: dict, path: str) -> Limit | None:
        """Read the limit keys of a table (min, max, gt, lt, allowed); other keys are left."""
        before = len(self.problems)
        bounds = {}
        for key in BOUND_KEYS:
            if key not in table:
                continue
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.problem(join_path(path, key), f"limit must be a number, not {type_name(value)}")
            elif not math.isfinite(value):
                self.problem(join_path(path, key), "limit must be a finite number")
            else:
                bounds[key] = value
        if "allowed" in table:
            allowed = self.text_list(table, "allowed", path)
            if table["allowed"] == []:
                self.problem(join_path(path, "allowed"), "must list at least one value")
            if any(key in table for key in BOUND_KEYS):
                self.problem(path, "mixes 'allowed' (text) with numeric limits")
            return Limit(allowed=allowed) if len(self.problems) == before else None
        if len(self.problems) != before:
            return None
        limit = Limit(**bounds)
        if not limit.admits_some_value():
            low, high = limit.lower(), limit.upper()
            self.problem(join_path(path, low.key),
                         f"{low.key} {low.value} and {high.key} {high.value} leave no value "
                         "that meets both")
            return None
        return limit

    def has_limit_keys(self, table: dict) -> bool:
        return any(key in table for key in LIMIT_KEYS)


def _is_kind(value: object, kind) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, kind)


def _kind_name(kind) -> str:
    return {str: "text", int: "an integer", bool: "true or false", list: "a list",
            dict: "a table", date: "a date (YYYY-MM-DD)"}.get(kind, getattr(kind, "__name__", "?"))
