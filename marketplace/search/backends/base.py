"""The interface every search backend implements; the rest of the search package talks
to `SearchBackend` only, so both backends pass the same tests."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path

from marketplace.search.documents import Document
from marketplace.search.query import SearchHits, SearchPlan

#: Reads listings from the database: ids in, (their documents, ids not to be found) out.
Loader = Callable[[Iterable[int]], tuple[list[Document], set[int]]]


class SearchUnavailable(RuntimeError):
    """The index cannot answer now (missing, locked too long, or misconfigured)."""


class SearchBackend(ABC):
    name = ""
    #: One writer at a time for the whole index (Whoosh): writers then commit in groups.
    single_writer = False
    #: Where the index lives: in the database (a dump of it holds the index too) or in files
    #: of its own, which a backup copies with `snapshot` and a restore puts back.
    index_in_database = True

    @abstractmethod
    def apply(self, listing_ids: Iterable[int], loader: Loader, timeout: float | None = None) -> None:
        """Bring these listings' documents in step with the database.

        The backend calls `loader` only once it holds whatever makes its write exclusive,
        so the last writer always wrote what the database held last. It waits for that
        at most `timeout` seconds (SEARCH_WRITER_TIMEOUT by default), then raises.
        """

    @abstractmethod
    def rebuild(self, chunks: Iterable[list[int]], loader: Loader,
                progress: Callable[[int], None] | None = None) -> int:
        """Index every listing afresh while searches keep being answered; return the count."""

    @abstractmethod
    def search(self, plan: SearchPlan) -> SearchHits:
        """Find the listings of `plan`, with facet counts over every match."""

    @abstractmethod
    def known_words(self, words: Iterable[str]) -> set[str]:
        """Which of these spellings occur in some indexed listing."""

    @abstractmethod
    def close_words(self, word: str, max_edits: int) -> list[tuple[str, int]]:
        """Indexed spellings within `max_edits` of `word`, with how many listings use them."""

    @abstractmethod
    def fingerprints(self) -> dict[int, str]:
        """Listing id → fingerprint of every indexed document."""

    def snapshot(self, destination: Path) -> int | None:
        """Copy an index kept in files into `destination`; return its documents (None: nothing to copy)."""
        return None

    def check_snapshot(self, source: Path) -> int:
        """How many documents a copy made by `snapshot` holds (SearchUnavailable if it cannot be read)."""
        raise SearchUnavailable(f"the {self.name} search backend keeps its index in the database")

    def install_snapshot(self, source: Path) -> int:
        """Make a copy made by `snapshot` the index in use; return its documents."""
        raise SearchUnavailable(f"the {self.name} search backend keeps its index in the database")

    def close(self) -> None:
        """Release files and connections (tests and commands call it at the end)."""
