"""Errors of the standards catalogue.

A supervisor who uploads a file with five mistakes should see all five at once, so loading
collects every problem and raises one `CatalogueError` that carries them all.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalogue file.

    `key` is the path of the offending key, as in ``parameters[2].max`` (array indexes
    count from 0, in the order the tables appear in the file); it is ``(file)`` for a
    problem of the file as a whole (unreadable, not UTF-8, bad TOML syntax).
    """

    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}"


class CatalogueError(ValueError):
    """A catalogue file, or a set of them, is not a valid standard: nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the standards catalogue"
        super().__init__(head + ":\n" + "\n".join(f"  {problem}" for problem in self.problems))
