"""How a long operation reports what it is doing: the CLI shows it, tests stay quiet."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


class Progress:
    """Silent progress: the base that the command line's progress bars override."""

    def step(self, message: str) -> None:
        """Say which stage starts now."""

    def track(self, items: Iterable[T], label: str, length: int) -> Iterator[T]:
        """Yield `items` while showing how many of `length` are done."""
        yield from items
