"""Find protected GI names in free text, such as a listing's title or description.

The rules, and why:

- Every name of a standard is matched in full: its Chinese and English names and every
  alias ("龙井茶", "Longjing tea", "西湖龙井", "West Lake Longjing").
- Case, accents and tone marks, full-width forms, spaces, hyphens and punctuation are
  ignored, so "LONG JING", "Long-jing", "Lóngjǐng" and "西 湖 龙 井" all match.
- Latin-script names match whole words only ("Longjing" is not found in "belongjing");
  Chinese is written without spaces, so Chinese names match anywhere.
- An English name that ends in a generic category word (tea, rice, ham, pear …) also
  matches by its distinctive head: "Longjing tea" → "Longjing", which catches "Longjing
  green tea". The generic word alone never matches, so "green tea from Yunnan" is clean.
- A head that is only a place name in the county table ("Jinhua" of "Jinhua ham",
  "Ningxia" of "Ningxia goji") is not distinctive: it turns up in every address and in
  other products of that place, so such a standard is matched by its full names only.
- Chinese names get no automatic head: with no word boundaries a short form would hit
  ordinary words (五常 also means the five constant virtues). A Chinese short form that
  is itself protected is listed as an alias in the standard's file (龙井 for 龙井茶).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .counties import county_index
from .model import Standard

#: Category words that say what a product is, not whose it is.
GENERIC_EN = frozenset({
    "tea", "rice", "ham", "orange", "pear", "peach", "apple", "waxberry", "bayberry",
    "ponkan", "mandarin", "goji", "wolfberry", "fruit",
})
#: Words that describe a kind of product; a head made only of these is still generic.
DESCRIPTIVE_EN = frozenset({
    "green", "black", "white", "red", "yellow", "dark", "oolong", "rock", "fresh", "dried",
    "fragrant", "navel", "sweet", "big", "premium", "organic", "wild", "new", "spring",
})
#: Words that end the distinctive part of an English place name ("Xihu District").
_PLACE_WORDS = frozenset({"district", "county", "city", "prefecture", "region", "province",
                          "autonomous", "municipality", "league", "banner"})


@dataclass(frozen=True)
class ProtectedNameMatch:
    """One use of a protected name in a text.

    `name` is the catalogue's spelling of what matched; `kind` is "name", "alias" or
    "head" (the distinctive head of an English name); `start`/`end` index the text.
    """

    slug: str
    name: str
    kind: str
    text: str
    start: int
    end: int
    area: frozenset[str] | None = None


@dataclass(frozen=True)
class _Pattern:
    slug: str
    name: str
    kind: str
    folded: str
    word_start: bool
    word_end: bool


class NameIndex:
    """The folded names of a set of standards, ready to be looked for in texts."""

    def __init__(self, standards: Iterable[Standard]):
        patterns: dict[tuple[str, str], _Pattern] = {}
        for standard in standards:
            for name, kind in protected_names(standard):
                folded = _fold(name)[0]
                if folded and (standard.slug, folded) not in patterns:
                    patterns[(standard.slug, folded)] = _Pattern(
                        standard.slug, name, kind, folded,
                        not _is_cjk(folded[0]), not _is_cjk(folded[-1]))
        self._patterns = tuple(patterns.values())

    def find(self, text: str) -> list[ProtectedNameMatch]:
        """Every non-overlapping use, in text order; the longest wins where two overlap."""
        if not isinstance(text, str) or not text:
            return []
        folded, origin, bounds = _fold(text)
        found = []
        for pattern in self._patterns:
            at = folded.find(pattern.folded)
            while at != -1:
                end = at + len(pattern.folded)
                if ((not pattern.word_start or at in bounds)
                        and (not pattern.word_end or end in bounds)):
                    found.append((at, end, pattern))
                at = folded.find(pattern.folded, at + 1)
        found.sort(key=lambda item: (item[0], item[0] - item[1]))
        matches, covered = [], 0
        for at, end, pattern in found:
            if at < covered:
                continue
            start, stop = origin[at], origin[end - 1] + 1
            matches.append(ProtectedNameMatch(pattern.slug, pattern.name, pattern.kind,
                                              text[start:stop], start, stop))
            covered = end
        return matches


def protected_names(standard: Standard) -> list[tuple[str, str]]:
    """The (name, kind) pairs that identify a standard's product in text."""
    result = [(standard.names.zh, "name"), (standard.names.en, "name")]
    result += [(alias, "alias") for alias in standard.aliases]
    for name in [standard.names.en, *standard.aliases]:
        head = distinctive_head(name)
        if head:
            result.append((head, "head"))
    return result


def distinctive_head(name: str) -> str | None:
    """"Longjing" for "Longjing tea"; None when the name has no generic tail or the rest
    is too short, generic, or only a place name."""
    words = name.split()
    if len(words) < 2 or _fold(words[-1])[0] not in GENERIC_EN or _is_cjk(name[0]):
        return None
    head = " ".join(words[:-1])
    folded = _fold(head)[0]
    if len(folded) < 4 or folded in _place_names():
        return None
    if all(_fold(word)[0] in GENERIC_EN | DESCRIPTIVE_EN for word in words[:-1]):
        return None
    return head


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Folded English place names of the county table: "xihu", "hangzhou", "ningxia" …"""
    places = set()
    for county in county_index().values():
        for label in (county.name_en, county.city_en, county.province_en):
            words = label.split()
            if not words or not words[0][:1].isupper():
                continue
            kept = []
            for word in words:
                if word.lower() in _PLACE_WORDS:
                    break
                kept.append(word)
            places.add(_fold(" ".join(kept))[0])
            places.add(_fold(words[0])[0])
    places.discard("")
    return frozenset(places)


def _fold(text: str) -> tuple[str, list[int], set[int]]:
    """Fold text for matching: (letters and digits only, their index in `text`, the
    positions in the folded text where a word starts or ends)."""
    chars: list[str] = []
    origin: list[int] = []
    bounds: set[int] = {0}
    gap, previous_cjk = True, None
    for index, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char)
        kept = [c for c in "".join(c for c in decomposed if not unicodedata.combining(c))
                .casefold() if c.isalnum()]
        if not kept:
            gap = True
            continue
        for c in kept:
            cjk = _is_cjk(c)
            if gap or cjk != previous_cjk:
                bounds.add(len(chars))
            chars.append(c)
            origin.append(index)
            gap, previous_cjk = False, cjk
    bounds.add(len(chars))
    return "".join(chars), origin, bounds


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3FFFF)
