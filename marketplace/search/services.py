"""Searching listings and keeping the index whole: what the page and the commands call.

`search_listings` answers the search page: it reads what the shopper typed as words
only, asks the backend, widens a query that finds little to close spellings (and says
what was probably meant), then loads the listings found with their GI badge decided by
the badge rule at this moment, so a revoked certificate never shows from a stale index.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.catalog.english_text import listing_description, listing_title
from marketplace.catalog.models import Listing
from marketplace.certification.services import badge
from marketplace.cooperatives.models import Cooperative, County
from marketplace.core.database import end_read, write_transaction
from marketplace.extensions import db
from marketplace.search import analysis, index, sync
from marketplace.search import documents as docs
from marketplace.search.backends import SearchUnavailable
from marketplace.search.expiry import refresh_lapsed_claims
from marketplace.search.highlight import highlight, plain_text

# The index's own operations, handed on for the page, the commands and the tests.
from marketplace.search.index import backend, index_listings, load_documents  # noqa: F401
from marketplace.search.models import SearchOutbox
from marketplace.search.query import (
    SORTS,
    Clause,
    Filters,
    ParsedText,
    PriceBand,
    SearchHits,
    SearchPlan,
    allowed_typos,
    edit_distance,
    parse_text,
    price_bands,
    term_for,
)

log = logging.getLogger(__name__)

CATEGORY_LABELS = {
    "tea": _l("Tea"), "rice": _l("Rice"), "fruit": _l("Fruit"), "processed": _l("Processed food"),
    "vegetables": _l("Vegetables"), "grain_oil": _l("Grain and oil"), "other": _l("Other"),
}


def init_app(app) -> None:
    """Create this app's backend and listen to commits (called by the area's init_app)."""
    analysis.use_cache_dir(Path(app.instance_path) / "jieba-cache")
    index.install_backend(app)
    sync.install()


def bands() -> tuple[PriceBand, ...]:
    return price_bands(current_app.config["SEARCH_PRICE_BANDS"])


# --- keeping the index in step -------------------------------------------------------------


def reindex(progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database; searches are answered meanwhile."""
    last_outbox = db.session.scalar(select(db.func.max(SearchOutbox.id))) or 0
    chunks = list(docs.searchable_ids(db.session))
    end_read()
    count = backend().rebuild(chunks, load_documents, progress)
    with write_transaction():
        # What was pending before the rebuild began is in the new index now.
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id <= last_outbox))
    return count


def listing_count() -> int:
    return db.session.scalar(select(db.func.count(Listing.id))) or 0


@dataclass
class IndexCheck:
    live: int
    indexed: int
    missing: list[int]
    stale: list[int]
    extra: list[int]
    pending: int

    @property
    def in_step(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def check_index(repair: bool = False) -> IndexCheck:
    """Compare every live listing's document with the index (by fingerprint); optionally repair."""
    expected: dict[int, str] = {}
    for chunk in docs.searchable_ids(db.session):
        facts, _gone = docs.load_facts(db.session, chunk)
        expected.update((f.listing_id, f.fingerprint()) for f in facts)
        end_read()
    indexed = backend().fingerprints()
    result = IndexCheck(
        live=len(expected), indexed=len(indexed),
        missing=sorted(set(expected) - set(indexed)),
        stale=sorted(i for i, fp in expected.items() if i in indexed and indexed[i] != fp),
        extra=sorted(set(indexed) - set(expected)),
        pending=db.session.scalar(select(db.func.count(SearchOutbox.id))) or 0,
    )
    end_read()
    if repair and not result.in_step:
        index_listings([*result.missing, *result.stale, *result.extra])
    return result


# --- answering the search page -------------------------------------------------------------


@dataclass
class FoundListing:
    listing: object
    badge: object
    title: object
    snippet: object


@dataclass
class SearchOutcome:
    """What the search page shows; `status` says which page: results, empty query, no words…"""

    status: str
    text: str = ""
    total: int = 0
    page: int = 1
    pages: int = 0
    found: list[FoundListing] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    widened: bool = False
    shortened: bool = False
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    #: Facet name → {value key: label in the reader's language}.
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


def search_listings(text: str | None, filters: Filters, sort: str = "relevance",
                    page: int = 1, language: str = "zh") -> SearchOutcome:
    """Find live listings for what the shopper typed, within the filters, on one page."""
    config = current_app.config
    text = (text or "").strip()
    sort = sort if sort in SORTS else "relevance"
    parsed = parse_text(text, max_chars=config["SEARCH_QUERY_MAX_CHARS"], max_terms=config["SEARCH_MAX_TERMS"])
    outcome = SearchOutcome(status="results", text=text[:config["SEARCH_QUERY_MAX_CHARS"]],
                            shortened=parsed.shortened, filters=filters, sort=sort)
    if not parsed.clauses and not filters.active:
        outcome.status = "empty" if not text else "no_words"
        return outcome
    refresh_lapsed_claims()
    try:
        hits, plan, page, outcome.suggestion, outcome.widened = find_hits(parsed, filters, sort, page)
    except SearchUnavailable:
        log.exception("search backend unavailable")
        outcome.status = "unavailable"
        return outcome
    size = config["SEARCH_PAGE_SIZE"]
    outcome.total, outcome.page, outcome.pages = hits.total, page, -(-hits.total // size)
    outcome.facets = hits.facets
    outcome.labels = facet_labels(hits.facets, filters, language)
    outcome.found = _found_listings(hits.listing_ids, plan.words, language)
    return outcome


def find_hits(parsed: ParsedText, filters: Filters, sort: str, page: int):
    """Ask the backend, widening to close spellings when few match; clamp the page.

    Returns (hits, plan, page, suggestion, widened). The benchmark times this function.
    """
    config = current_app.config
    size = config["SEARCH_PAGE_SIZE"]
    page = max(1, min(int(page or 1), config["SEARCH_MAX_PAGE"]))
    plan = SearchPlan(parsed.clauses, filters, sort, (page - 1) * size, size, bands())
    hits = backend().search(plan)
    suggestion, widened = None, False
    if parsed.clauses and hits.total < config["SEARCH_WIDEN_BELOW"]:
        hits, plan, suggestion, widened = _widen(plan, parsed, hits)
    pages = -(-hits.total // size)
    if hits.total and page > pages:
        page = pages
        plan = SearchPlan(plan.clauses, filters, sort, (page - 1) * size, size, plan.bands)
        hits = backend().search(plan)
    return hits, plan, page, suggestion, widened


def facet_labels(facets: dict[str, dict[str, int]], filters: Filters, language: str) -> dict[str, dict[str, str]]:
    """Name each facet value in the reader's language (GI products, provinces, counties…)."""
    zh = language.startswith("zh")
    catalogue = docs.gi_catalogue()
    gi_keys = {*facets.get("gi", {}), *([filters.gi] if filters.gi else [])}
    labels: dict[str, dict[str, str]] = {"gi": {}, "province": {}, "county": {}, "category": {}}
    for slug in gi_keys:
        standard = catalogue.get(slug)
        labels["gi"][slug] = (standard.names.zh if zh else standard.names.en) if standard else slug
    provinces = {*facets.get("province", {}), *([filters.province] if filters.province else [])}
    counties = {*facets.get("county", {}), *([filters.county] if filters.county else [])}
    if provinces:
        for province_zh, province_en in db.session.execute(
                select(County.province_zh, County.province_en).where(County.province_zh.in_(provinces))
                .distinct()):
            labels["province"][province_zh] = province_zh if zh else province_en
    if counties:
        for county in db.session.scalars(select(County).where(County.code.in_(counties))):
            labels["county"][county.code] = (f"{county.name_zh}（{county.city_zh}）" if zh
                                             else f"{county.name_en}, {county.city_en}")
    for key in {*facets.get("category", {}), *([filters.category] if filters.category else [])}:
        labels["category"][key] = str(CATEGORY_LABELS.get(key, key))
    for name in ("province", "county"):
        for key in (facets.get(name, {}) if name != "province" else provinces):
            labels[name].setdefault(key, key)
    return labels


def _widen(plan: SearchPlan, parsed: ParsedText, hits: SearchHits):
    """Add close spellings of the typed words; return the better hits and a suggestion."""
    search = backend()
    words = [c.terms[0].raw for c in parsed.clauses if not c.phrase and not c.terms[0].chinese]
    known = search.known_words(words)
    # Words no listing uses are the likely typos; known words are widened only when
    # nothing at all was found (a real word can be a typo of another: "rise" for "rice").
    doubtful = [word for word in words if word not in known] or (words if not hits.total else [])
    alternatives: dict[str, tuple] = {}
    best: dict[str, str] = {}
    for word in doubtful:
        limit = allowed_typos(word)
        if not limit:
            continue
        ranked = []
        # One edit more for the backend, whose distance counts a swap ("oolnog") as two;
        # edit_distance, which counts it as one, decides.
        for candidate, frequency in search.close_words(word, limit + 1):
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                ranked.append((distance, -frequency, candidate))
        ranked.sort()
        if ranked:
            alternatives[word] = tuple(term_for(candidate) for _d, _f, candidate in ranked[:3])
            if word not in known:
                best[word] = ranked[0][2]
    if not alternatives:
        return hits, plan, None, False
    widened_plan = plan.with_alternatives(alternatives)
    if best:  # what the suggestion finds ranks first
        widened_plan = replace(widened_plan, preferred=_meant(parsed.clauses, best))
    widened = search.search(widened_plan)
    suggestion = _suggestion(parsed.clauses, best) if best else None
    if widened.total > hits.total:
        return widened, widened_plan, suggestion, True
    return hits, plan, suggestion, False


def _meant(clauses: tuple[Clause, ...], best: dict[str, str]) -> tuple[Clause, ...]:
    """The clauses with each likely typo replaced by its best spelling."""
    return tuple(Clause((term_for(best[clause.terms[0].raw]),))
                 if not clause.phrase and clause.terms[0].raw in best else clause for clause in clauses)


def _suggestion(clauses: tuple[Clause, ...], best: dict[str, str]) -> str:
    parts = []
    for clause in clauses:
        if clause.phrase:
            parts.append('"' + " ".join(t.raw for t in clause.terms) + '"')
        else:
            raw = clause.terms[0].raw
            parts.append(best.get(raw, raw))
    return " ".join(parts)


def _found_listings(listing_ids: list[int], wanted: set[str], language: str = "zh") -> list[FoundListing]:
    """Load the listings of a page in index order, live ones only, with today's badges.

    Titles and snippets are in the reader's language where the seller wrote it."""
    if not listing_ids:
        return []
    rows = db.session.scalars(
        select(Listing).where(Listing.id.in_(listing_ids)).options(
            joinedload(Listing.cooperative).joinedload(Cooperative.county),
            joinedload(Listing.batch), selectinload(Listing.photos), selectinload(Listing.variants))
    ).unique().all()
    by_id = {row.id: row for row in rows if docs.is_searchable(row)}
    listings = [by_id[i] for i in listing_ids if i in by_id]
    badges = badge.badges_for(listings)
    snippet_chars = current_app.config["SEARCH_SNIPPET_CHARS"]
    return [
        FoundListing(
            listing=listing,
            badge=badges.get(listing.id, badge.NO_BADGE),
            title=highlight(listing_title(listing, language), wanted),
            snippet=highlight(plain_text(listing_description(listing, language)), wanted, limit=snippet_chars),
        )
        for listing in listings
    ]
