"""What a shopper asked for, made safe: words, phrases, filters, sort and page.

Everything typed is treated as words to find, never as query syntax, so "((((",
"AND OR NOT", SQL or 10 kB of text can only ever find nothing. Text in double quotes
(straight, curly or full-width) is a phrase, matched word by word in order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from marketplace.search import analysis

SORTS = ("relevance", "price_asc", "price_desc", "newest")
FACETS = ("gi", "province", "county", "category", "certified", "poverty", "price")
_QUOTES = re.compile("[“”„‟«»「」『』＂]")


@dataclass(frozen=True)
class Term:
    """One query word: `term` for the text fields, `raw` for pinyin and spelling."""

    term: str
    raw: str
    chinese: bool


@dataclass(frozen=True)
class Clause:
    """A word, or a phrase of words in order; `alternatives` are close spellings of a word."""

    terms: tuple[Term, ...]
    phrase: bool = False
    alternatives: tuple[Term, ...] = ()

    @property
    def typed(self) -> str:
        return " ".join(term.raw for term in self.terms)


@dataclass(frozen=True)
class PriceBand:
    low: int
    high: int | None

    @property
    def key(self) -> str:
        return f"{self.low}-{'' if self.high is None else self.high}"

    def contains(self, price_minor: int) -> bool:
        return price_minor >= self.low and (self.high is None or price_minor < self.high)


def price_bands(edges) -> tuple[PriceBand, ...]:
    """Bands between consecutive edges (minor units), the last one open-ended."""
    points = [0, *sorted({int(edge) for edge in edges if int(edge) > 0})]
    return tuple(PriceBand(low, high) for low, high in zip(points, [*points[1:], None]))


@dataclass(frozen=True)
class Filters:
    gi: str | None = None
    province: str | None = None
    county: str | None = None
    category: str | None = None
    certified: bool = False
    price: PriceBand | None = None
    #: Only listings of cooperatives in counties lifted out of poverty (脱贫县).
    poverty_lifted: bool = False

    @property
    def active(self) -> bool:
        return any((self.gi, self.province, self.county, self.category, self.certified, self.price,
                    self.poverty_lifted))


@dataclass(frozen=True)
class SearchPlan:
    """What a backend is asked: clauses all required, filters, order and the page wanted."""

    clauses: tuple[Clause, ...] = ()
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    bands: tuple[PriceBand, ...] = ()
    #: Clauses of what a typo query probably meant: listings matching them all rank first.
    preferred: tuple[Clause, ...] = ()

    def with_alternatives(self, alternatives: dict[str, tuple[Term, ...]]) -> SearchPlan:
        clauses = tuple(
            replace(clause, alternatives=alternatives.get(clause.terms[0].raw, ()))
            if not clause.phrase else clause
            for clause in self.clauses
        )
        return replace(self, clauses=clauses)

    @property
    def words(self) -> set[str]:
        """Every term and spelling the plan looks for (for highlighting)."""
        found = set()
        for clause in self.clauses:
            for term in (*clause.terms, *clause.alternatives):
                found.update((term.term, term.raw))
        return found


@dataclass
class SearchHits:
    total: int
    listing_ids: list[int]
    #: Facet name → {value key: count}; "certified" and "poverty" → {"1": count}; "price" by band key.
    facets: dict[str, dict[str, int]]


@dataclass(frozen=True)
class ParsedText:
    clauses: tuple[Clause, ...]
    shortened: bool = False


def term_options(term: Term) -> tuple[tuple[str, ...], ...]:
    """The ways a query word is found in a zone; each way is keys that must all be there.

    The word itself (a stem, or a Chinese word, which is also how its characters and
    character pairs are indexed); a Latin word as typed (pinyin); and a Chinese word of
    three or more characters by all its character pairs, whatever jieba made of the text.
    """
    options = [(term.term,)]
    if not term.chinese and term.raw != term.term:
        options.append((term.raw,))
    if term.chinese:
        pairs = analysis.pairs_of(term.term)
        if pairs:
            options.append(pairs)
    return tuple(options)


def parse_text(text: str | None, *, max_chars: int, max_terms: int) -> ParsedText:
    """Cut what the shopper typed into clauses: quoted parts are phrases, the rest words.

    Spaces between Chinese characters are dropped first ("龙 井" is 龙井).
    """
    text = text or ""
    shortened = len(text) > max_chars
    text = analysis.join_chinese(_QUOTES.sub('"', text[:max_chars]))
    clauses: list[Clause] = []
    parts = text.split('"')
    if len(parts) % 2 == 0:  # an unbalanced quote: the tail is ordinary words
        tail = parts.pop()
        parts[-1] += " " + tail
    seen: set[tuple] = set()
    for index, part in enumerate(parts):
        found = [Term(w.term, w.raw, w.chinese) for w in analysis.words(part, inner=False)]
        if not found:
            continue
        if index % 2 == 1 and len(found) > 1:
            candidates = [Clause(tuple(found), phrase=True)]
        else:
            candidates = [Clause((term,)) for term in found]
        for clause in candidates:
            key = (clause.phrase, tuple(t.term for t in clause.terms))
            if key not in seen:
                seen.add(key)
                clauses.append(clause)
    if len(clauses) > max_terms:
        clauses, shortened = clauses[:max_terms], True
    return ParsedText(tuple(clauses), shortened)


def term_for(raw: str) -> Term:
    """The query term of a spelling correction (analysed like a typed word)."""
    found = analysis.words(raw, inner=False)
    if found:
        return Term(found[0].term, found[0].raw, found[0].chinese)
    return Term(raw, raw, False)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance of two words, or limit + 1 once it is beyond `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word: str) -> int:
    """How many edits a word may be off: none below 4 letters, one up to 6, then two."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 6 else 2
