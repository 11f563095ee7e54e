"""The catalogue: every loaded standard by slug, and the questions asked of all of them."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property

from .model import Standard
from .names import NameIndex, ProtectedNameMatch


class Catalogue(Mapping[str, Standard]):
    """A read-only mapping of slug to Standard, ordered by slug.

    Built once (see `load_catalogue`) and then shared: nothing in it changes, so a web app
    may keep one per published catalogue version.
    """

    def __init__(self, standards: Iterable[Standard]):
        by_slug: dict[str, Standard] = {}
        for standard in standards:
            if standard.slug in by_slug:
                raise ValueError(f"duplicate slug {standard.slug!r}")
            by_slug[standard.slug] = standard
        self._standards = dict(sorted(by_slug.items()))

    def __getitem__(self, slug: str) -> Standard:
        return self._standards[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._standards)

    def __len__(self) -> int:
        return len(self._standards)

    def __repr__(self) -> str:
        return f"Catalogue({', '.join(self._standards)})"

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({standard.category for standard in self.values()}))

    def in_category(self, category: str) -> list[Standard]:
        return [standard for standard in self.values() if standard.category == category]

    def for_county(self, county_code: str) -> list[Standard]:
        """The standards whose protected area includes the county, wholly or in part."""
        return [s for s in self.values() if s.area_status(county_code) is not None]

    @property
    def county_codes(self) -> frozenset[str]:
        """Every county code any standard names (the county table must hold them all)."""
        return frozenset(code for s in self.values() for code in s.county_codes)

    @property
    def fingerprint(self) -> str:
        """One hash over every standard's slug and fingerprint: the catalogue's version."""
        digest = hashlib.sha256()
        for slug, standard in self._standards.items():
            digest.update(f"{slug}\0{standard.fingerprint}\n".encode())
        return digest.hexdigest()

    def find_protected_names(self, text: str) -> list[ProtectedNameMatch]:
        """Which protected GI names a text uses; see `gi_standards.names` for the rules."""
        return self._name_index.find(text)

    @cached_property
    def _name_index(self) -> NameIndex:
        return NameIndex(self.values())
