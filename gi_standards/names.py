"""Find protected GI names in free text, such as a listing's title or description.

The rules, and why:

- Every name of a standard is matched in full: its Chinese and English names, every
  alias and every English trade name ("龙井茶", "Longjing tea", "西湖龙井", "Dragon Well
  tea"), English names also in the plural ("Yantai apples", "Wuchang rices"), and every
  Chinese name also in pinyin, with or without spaces and tone marks or numbers
  ("Wuchang Da Mi", "wuchangdami", "Xī Hú Lóng Jǐng", "long2 jing3"), and half in pinyin
  ("西湖Longjing", "Wuchang大米"). Pinyin of fewer than four letters is never a name, and
  texts without four Latin letters in a row are not searched for pinyin at all.
- Case, accents and tone marks, full-width forms, traditional characters, look-alike
  letters of other scripts, spaces, hyphens and punctuation are ignored (see `gi_standards.folding`), so "LONG JING",
  "Long-jing", "Lóngjǐng", "西 湖 龙 井" and "西湖龍井" all match.
- An imitation is a use of the name: "五常风味大米", "龙井型茶", "Wuchang-style rice" match
  as if the imitation word were not there.
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
- A standard's `exclusions` are phrases that contain one of its names but mean something
  else: a city (龙井市 in Jilin), a dish (龙井虾仁), a cultivar planted far from the area
  (龙井43). A match is dropped only where an exclusion covers it entirely, so
  "龙井市 龙井茶" still uses 龙井茶.
- A name a standard reserves for part of its area (西湖龙井, for the 西湖 zone) is
  reported with that part's counties in `ProtectedNameMatch.area`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .counties import county_index
from .folding import (MIN_PINYIN_LETTERS, Folded, chinese_word_bounds, fold, fold_name, is_cjk,
                      mixed_spellings, pinyin_spellings, without_imitation)
from .model import Standard

#: Category words that say what a product is, not whose it is.
GENERIC_EN = frozenset({
    "tea", "rice", "ham", "orange", "pear", "peach", "apple", "waxberry", "bayberry",
    "yumberry", "ponkan", "mandarin", "tangerine", "goji", "wolfberry", "berry", "fruit",
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

    `name` is the catalogue's spelling of what matched (the Chinese name for a pinyin
    spelling); `kind` is "name", "alias", "english" (an English trade name), "head" (the
    distinctive head of an English name) or "pinyin"; `start`/`end` index the text, and
    `text` is what stands there. `area` holds the county codes a sub-area name is reserved
    for ("西湖龙井" → {"330106"}); it is None for a name of the whole protected area.
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
    area: frozenset[str] | None
    #: An exclusion is looked for like a name, and drops the names it covers.
    exclusion: bool = False
    #: Latin spellings start and end at word boundaries; Chinese ones need not.
    word_start: bool = field(init=False)
    word_end: bool = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "word_start", bool(self.folded) and not is_cjk(self.folded[0]))
        object.__setattr__(self, "word_end", bool(self.folded) and not is_cjk(self.folded[-1]))


class _PatternSet:
    """Patterns by how they start, so a text is scanned once.

    Chinese-led patterns are found wherever their first character stands; Latin-led ones
    only at word starts, looked up by their first two letters.
    """

    def __init__(self, patterns: Iterable[_Pattern]):
        self.anywhere: dict[str, list[_Pattern]] = {}
        self.at_word_start: dict[str, list[_Pattern]] = {}
        seen: set[tuple] = set()
        for pattern in patterns:
            key = (pattern.slug, pattern.folded, pattern.exclusion)
            if not pattern.folded or key in seen:
                continue
            seen.add(key)
            if pattern.word_start:
                self.at_word_start.setdefault(pattern.folded[:2], []).append(pattern)
            else:
                self.anywhere.setdefault(pattern.folded[0], []).append(pattern)
        #: Finds, at C speed, the places where some pattern that may start anywhere starts.
        self._starts = re.compile("[" + "".join(map(re.escape, self.anywhere)) + "]"
                                  if self.anywhere else "(?!)")

    def occurrences(self, folded: Folded) -> Iterator[tuple[int, int, _Pattern]]:
        text, bounds = folded.text, folded.bounds
        for start in self._starts.finditer(text):
            at = start.start()
            yield from self._at(text, bounds, at, self.anywhere[text[at]])
        for at in bounds:
            yield from self._at(text, bounds, at, self.at_word_start.get(text[at:at + 2], ()))
            yield from self._at(text, bounds, at, self.at_word_start.get(text[at:at + 1], ()))

    @staticmethod
    def _at(text: str, bounds: frozenset[int], at: int,
            patterns: Iterable[_Pattern]) -> Iterator[tuple[int, int, _Pattern]]:
        for pattern in patterns:
            end = at + len(pattern.folded)
            if (not pattern.word_end or end in bounds) and text.startswith(pattern.folded, at):
                yield at, end, pattern


class NameIndex:
    """The folded names of a set of standards, ready to be looked for in texts."""

    def __init__(self, standards: Iterable[Standard], *, pinyin: bool = True):
        self._standards = tuple(standards)
        self._use_pinyin = pinyin
        self._spelled_patterns = [p for s in self._standards for p in _spelled_patterns(s)]
        self._spelled = _PatternSet(self._spelled_patterns)

    @cached_property
    def _with_pinyin(self) -> _PatternSet:
        """Every spelling with pinyin too, built the first time a text has Latin letters."""
        return _PatternSet([*self._spelled_patterns,
                            *(p for s in self._standards for p in _pinyin_patterns(s))])

    def find(self, text: str) -> list[ProtectedNameMatch]:
        """Every non-overlapping use, in text order; the longest wins where two overlap."""
        if not isinstance(text, str) or not text:
            return []
        folded = fold(text)
        views = [folded]
        plain = without_imitation(folded)
        if plain is not None:
            views.append(plain)
        patterns = self._spelled
        if self._use_pinyin and any(_PINYIN_RUN.search(view.text) for view in views):
            patterns = self._with_pinyin
        names: set[tuple[int, int, _Pattern]] = set()
        exclusions = _Exclusions()
        for view in views:
            for at, end, pattern in patterns.occurrences(view):
                if pattern.exclusion:
                    exclusions.add(pattern.slug, view, at, end)
                else:
                    names.add((view.origin[at], view.origin[end - 1] + 1, pattern))
        exclusions.sort()
        kept = [(start, stop, pattern) for start, stop, pattern in names
                if not exclusions.excuse(pattern.slug, start, stop)]
        kept.sort(key=lambda item: (item[0], item[0] - item[1], _KIND_ORDER[item[2].kind],
                                    item[2].slug))
        matches, covered = [], 0
        for start, stop, pattern in kept:
            if start < covered:
                continue
            matches.append(ProtectedNameMatch(pattern.slug, pattern.name, pattern.kind,
                                              text[start:stop], start, stop, pattern.area))
            covered = stop
        return matches


class _Exclusions:
    """The exclusions found in one text, and which names they excuse.

    An exclusion must cover the name entirely, and where it reaches past the name it must
    end on a word boundary: "龙井市" excuses the 龙井 of "吉林龙井市大米" but not of
    "龙井市场价", where 市 belongs to the next word (市场, market). Lookups are by position,
    and each text is cut into words at most once, so a long description full of names and
    exclusions still costs time in proportion to its length.
    """

    def __init__(self):
        self._found: dict[str, list[tuple[int, int, Folded, int, int]]] = {}
        self._longest: dict[str, int] = {}
        self._word_bounds: dict[int, frozenset[int]] = {}

    def add(self, slug: str, view: Folded, at: int, end: int) -> None:
        low, high = view.origin[at], view.origin[end - 1] + 1
        self._found.setdefault(slug, []).append((low, high, view, at, end))
        self._longest[slug] = max(self._longest.get(slug, 0), high - low)

    def sort(self) -> None:
        """Order each product's exclusions by where they start: call before `excuse`."""
        for found in self._found.values():
            found.sort(key=_starts_at)

    def excuse(self, slug: str, start: int, stop: int) -> bool:
        """Whether an exclusion of the product covers the name at start:stop."""
        found = self._found.get(slug)
        if not found:
            return False
        first = bisect_left(found, stop - self._longest[slug], key=_starts_at)
        for low, high, view, at, end in found[first:]:
            if low > start:
                break
            if stop <= high and self._on_word_bounds(view, at, end, low == start,
                                                     stop == high):
                return True
        return False

    def _on_word_bounds(self, view: Folded, at: int, end: int, same_start: bool,
                        same_end: bool) -> bool:
        if same_start and same_end:
            return True
        if not is_cjk(view.text[at]) and not is_cjk(view.text[end - 1]):
            return True             # Latin exclusions were matched as whole words
        bounds = self._word_bounds.get(id(view))
        if bounds is None:
            bounds = self._word_bounds[id(view)] = chinese_word_bounds(view.text)
        return (same_start or at in bounds) and (same_end or end in bounds)


def _starts_at(found: tuple) -> int:
    return found[0]


#: A text holds a pinyin spelling only where it has this many Latin letters in a row, so
#: "250g" or "5kg" alone do not load pypinyin's dictionaries.
_PINYIN_RUN = re.compile(f"[a-z]{{{MIN_PINYIN_LETTERS},}}")
#: Where one span is matched by two names, the more exact kind is reported.
_KIND_ORDER = {"name": 0, "alias": 1, "english": 2, "head": 3, "pinyin": 4}


def protected_names(standard: Standard) -> list[tuple[str, str]]:
    """The (name, kind) pairs that identify a standard's product in text."""
    return [(name, kind) for name, kind, _ in _names_with_source(standard)]


def _names_with_source(standard: Standard) -> list[tuple[str, str, str]]:
    """(name, kind, the catalogue name it comes from): a head comes from a longer name."""
    result = [(standard.names.zh, "name", standard.names.zh),
              (standard.names.en, "name", standard.names.en)]
    result += [(alias, "alias", alias) for alias in standard.aliases]
    result += [(name, "english", name) for name in standard.english_names]
    for name in [standard.names.en, *standard.aliases, *standard.english_names]:
        head = distinctive_head(name)
        if head:
            result.append((head, "head", name))
    return result


def _spelled_patterns(standard: Standard) -> Iterator[_Pattern]:
    """A standard's names as written, English ones also in the plural; its exclusions."""
    areas = standard.sub_area_names
    for name, kind, source in _names_with_source(standard):
        area = areas.get(source)
        for spelling in _written_forms(name):
            yield _Pattern(standard.slug, name, kind, spelling, area)
    for phrase in standard.exclusions:
        for spelling in _written_forms(phrase):
            yield _Pattern(standard.slug, phrase, "exclusion", spelling, None, exclusion=True)


def _pinyin_patterns(standard: Standard) -> Iterator[_Pattern]:
    """The pinyin of a standard's Chinese names (also half in pinyin), and of its
    exclusions."""
    areas = standard.sub_area_names
    for name, kind, source in _names_with_source(standard):
        for spelling in pinyin_spellings(name) + mixed_spellings(name):
            yield _Pattern(standard.slug, name, "pinyin", spelling, areas.get(source))
    for phrase in standard.exclusions:
        for spelling in pinyin_spellings(phrase):
            yield _Pattern(standard.slug, phrase, "exclusion", spelling, None, exclusion=True)


def _written_forms(name: str) -> list[str]:
    """The folded name, and the folded plural of an English one."""
    forms = [fold_name(name)]
    plural = english_plural(name)
    if plural:
        forms.append(fold_name(plural))
    return forms


def english_plural(name: str) -> str | None:
    """"Yantai apples" for "Yantai apple"; None for a name not ending in a Latin word."""
    words = name.split()
    if not words or not words[-1].isascii() or not words[-1][-1:].isalpha():
        return None
    last = words[-1]
    lower = last.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return " ".join([*words[:-1], plural])


def distinctive_head(name: str) -> str | None:
    """"Longjing" for "Longjing tea"; None when the name has no generic tail or the rest
    is too short, generic, or only a place name."""
    words = name.split()
    if len(words) < 2 or fold_name(words[-1]) not in GENERIC_EN or is_cjk(name[0]):
        return None
    head = " ".join(words[:-1])
    folded = fold_name(head)
    if len(folded) < 4 or folded in _place_names():
        return None
    if all(fold_name(word) in GENERIC_EN | DESCRIPTIVE_EN for word in words[:-1]):
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
            places.add(fold_name(" ".join(kept)))
            places.add(fold_name(words[0]))
    places.discard("")
    return frozenset(places)
