"""Answer a search from a Whoosh index with bitmaps: fast enough for 100,000 listings.

Whoosh's own collectors score every match in Python, which costs tens of milliseconds
once a word matches thousands of listings. Here each segment's postings become bitmaps
(Python ints: AND, OR and popcount run in C), cached per segment, which never changes
once written (deletions are masked with the segment's live documents at query time):

- a clause (a word and its spellings, or a phrase) is the OR of its fields' bitmaps, and
  the matches are the AND of the clauses and the filters;
- facet counts are popcounts of the matches AND each facet value's bitmap;
- relevance ranks by tiers (`ranking.tiers`): what a typo's suggestion finds, then the
  listings whose GI product matches (certified first), then by how many words the title
  holds, then by how many a name holds rather than only the description; ties, and the
  other orders, use columns (price, creation) read once per segment.
"""
from __future__ import annotations

import heapq
import threading
from collections import OrderedDict

from whoosh import query as wq

from marketplace.search.backends.ranking import ZONES, tiers
from marketplace.search.query import Clause, SearchHits, SearchPlan, term_options

FACET_FIELDS = {"gi": "gi_slug", "province": "province", "county": "county_code", "category": "category",
                "certified": "certified", "poverty": "poverty_lifted"}
#: Segments and terms per segment whose bitmaps a process keeps: a term of a 100,000-listing
#: segment takes 12.5 kB, so a worker holds at most about 25 MB of them.
CACHE_SEGMENTS = 16
CACHE_TERMS = 2000


def _bits_of(docnums, size: int) -> int:
    buffer = bytearray((size >> 3) + 1)
    for docnum in docnums:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def _set_bits(bitmap: int) -> list[int]:
    """The document numbers set in a bitmap, in order."""
    found = []
    data = bitmap.to_bytes((bitmap.bit_length() + 7) >> 3 or 1, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            for bit in range(8):
                if byte >> bit & 1:
                    found.append(base + bit)
    return found


class SegmentData:
    """What one segment contributes, computed once: postings bitmaps, facets, columns."""

    def __init__(self, reader):
        self.size = reader.doc_count_all()
        self.terms: OrderedDict = OrderedDict()
        self.facets: dict[str, dict[str, int]] | None = None
        self.bands: dict[str, int] = {}
        self.columns: dict[str, list] = {}
        self.orders: dict[str, list[int]] = {}
        self._live: tuple[int, int] | None = None
        self.lock = threading.Lock()

    def live(self, reader) -> int:
        """The segment's documents that are not deleted (recomputed when deletions change)."""
        deleted = reader.doc_count_all() - reader.doc_count() if reader.has_deletions() else 0
        if self._live is None or self._live[0] != deleted:
            every = (1 << self.size) - 1
            self._live = (deleted, every ^ _bits_of(reader.deleted_docs_set, self.size) if deleted else every)
        return self._live[1]

    def postings(self, reader, field: str, text: str) -> int:
        key = (field, text)
        with self.lock:
            bitmap = self.terms.get(key)
            if bitmap is not None:
                self.terms.move_to_end(key)
                return bitmap
        bitmap = _postings_bits(reader, field, text, self.size)
        with self.lock:
            self.terms[key] = bitmap
            while len(self.terms) > CACHE_TERMS:
                self.terms.popitem(last=False)
        return bitmap

    def cached(self, key, compute) -> int:
        with self.lock:
            bitmap = self.terms.get(key)
        if bitmap is None:
            bitmap = compute()
            with self.lock:
                self.terms[key] = bitmap
        return bitmap

    def facet_bitmaps(self, reader) -> dict[str, dict[str, int]]:
        if self.facets is None:
            facets = {}
            for field in FACET_FIELDS.values():
                facets[field] = {}
                if field not in reader.schema:  # an index built before the field existed
                    continue
                for value in reader.lexicon(field):
                    text = value.decode("utf-8") if isinstance(value, bytes) else value
                    facets[field][text] = _postings_bits(reader, field, text, self.size)
            self.facets = facets
        return self.facets

    def band(self, searcher, band) -> int:
        if band.key not in self.bands:
            query = wq.NumericRange("price_minor", band.low, None if band.high is None else band.high - 1)
            self.bands[band.key] = _bits_of(query.docs(searcher), self.size)
        return self.bands[band.key]

    def column(self, reader, field: str) -> list:
        if field not in self.columns:
            self.columns[field] = list(reader.column_reader(field)) if reader.has_column(field) else [0] * self.size
        return self.columns[field]

    def order(self, reader, sort: str) -> list[int]:
        """Document numbers in the order of a sort (ties by listing id)."""
        if sort not in self.orders:
            number = self.column(reader, "listing_number")
            if sort == "newest" or sort == "relevance":
                created = self.column(reader, "created")
                key = lambda d: (-created[d], -number[d])  # noqa: E731
            else:
                price = self.column(reader, "price_minor")
                sign = 1 if sort == "price_asc" else -1
                key = lambda d: (sign * price[d], number[d])  # noqa: E731
            self.orders[sort] = sorted(range(self.size), key=key)
        return self.orders[sort]


def _postings_bits(reader, field: str, text: str, size: int) -> int:
    """A bitmap of the documents holding a term, deleted ones included (masked later)."""
    try:
        if not reader.doc_frequency(field, text):
            return 0
    except Exception:  # an unknown field or a term that cannot be encoded: nothing matches
        return 0
    try:
        matcher = reader._terms.matcher(field, reader._text_to_bytes(field, text), reader.schema[field].format)
        buffer = bytearray((size >> 3) + 1)
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            for docnum in matcher._ids:
                buffer[docnum >> 3] |= 1 << (docnum & 7)
            matcher._next_block()
        return int.from_bytes(buffer, "little")
    except AttributeError:  # not a whoosh3 segment: the public, slower path
        return _bits_of(reader.postings(field, text).all_ids(), size)


class BitmapSearch:
    """Runs plans against a searcher; segment data is kept between queries."""

    def __init__(self):
        self._segments: OrderedDict[str, SegmentData] = OrderedDict()
        self._lock = threading.Lock()

    def _segment(self, reader) -> SegmentData:
        segment = reader.segment() if hasattr(reader, "segment") else None
        key = segment.segment_id() if segment is not None else str(id(reader))
        with self._lock:
            data = self._segments.get(key)
            if data is None or data.size != reader.doc_count_all():
                data = SegmentData(reader)
                self._segments[key] = data
            self._segments.move_to_end(key)
            while len(self._segments) > CACHE_SEGMENTS:
                self._segments.popitem(last=False)
        return data

    def run(self, searcher, plan: SearchPlan) -> SearchHits:
        facets: dict[str, dict[str, int]] = {name: {} for name in (*FACET_FIELDS, "price")}
        total = 0
        candidates: list[tuple] = []
        wanted = plan.offset + plan.limit
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            data = self._segment(reader)
            live = data.live(reader)
            matched, ranked = self._match(leaf, reader, data, plan, live)
            if not matched:
                continue
            total += matched.bit_count()
            for name, field in FACET_FIELDS.items():
                bucket = facets[name]
                for value, bitmap in data.facet_bitmaps(reader)[field].items():
                    hits = (matched & bitmap).bit_count()
                    if hits:
                        bucket[value] = bucket.get(value, 0) + hits
            for band in plan.bands:
                hits = (matched & data.band(leaf, band)).bit_count()
                if hits:
                    facets["price"][band.key] = facets["price"].get(band.key, 0) + hits
            candidates += self._top(reader, data, plan.sort, ranked, wanted)
        for name in ("certified", "poverty"):
            facets[name] = {"1": facets[name].get("1", 0)}
        best = heapq.nsmallest(wanted, candidates)
        return SearchHits(total, [listing_id for *_key, listing_id in best[plan.offset:wanted]], facets)

    def _zones(self, leaf, reader, data: SegmentData, clause: Clause) -> dict[str, int]:
        """Zone → the documents where the clause is found in that zone."""
        found = {}
        for zone in ZONES:
            if clause.phrase:
                words = tuple(term.term for term in clause.terms)
                found[zone] = data.cached(("phrase", zone, words), lambda zone=zone: _bits_of(
                    wq.Phrase(zone, list(words)).docs(leaf), data.size))
                continue
            bits = 0
            for term in (*clause.terms, *clause.alternatives):
                for option in term_options(term):
                    both = data.postings(reader, zone, option[0])
                    for key in option[1:]:
                        if not both:
                            break
                        both &= data.postings(reader, zone, key)
                    bits |= both
            found[zone] = bits
        return found

    def _match(self, leaf, reader, data: SegmentData, plan: SearchPlan, live: int) -> tuple[int, list]:
        """The matching documents, and the same split by relevance tier: [(rank, bitmap)], best first."""
        matched = live
        per_clause = []
        for clause in plan.clauses:
            zones = self._zones(leaf, reader, data, clause)
            matched &= zones["title"] | zones["gi"] | zones["other"] | zones["description"]
            if not matched:
                return 0, []
            per_clause.append(zones)
        filters = plan.filters
        facet_bitmaps = data.facet_bitmaps(reader) if (filters.active or per_clause) else {}
        for value, field in ((filters.gi, "gi_slug"), (filters.province, "province"),
                             (filters.county, "county_code"), (filters.category, "category")):
            if value:
                matched &= facet_bitmaps[field].get(value, 0)
        if filters.certified:
            matched &= facet_bitmaps["certified"].get("1", 0)
        if filters.poverty_lifted:
            matched &= facet_bitmaps["poverty_lifted"].get("1", 0)
        if filters.price is not None:
            matched &= data.band(leaf, filters.price)
        if not matched:
            return 0, []
        if plan.sort != "relevance" or not per_clause:
            return matched, [((), matched)]
        preferred = None
        if plan.preferred:
            preferred = live
            for clause in plan.preferred:
                zones = self._zones(leaf, reader, data, clause)
                preferred &= zones["title"] | zones["gi"] | zones["other"] | zones["description"]
        return matched, tiers(matched, per_clause, facet_bitmaps["certified"].get("1", 0), preferred)

    def _top(self, reader, data: SegmentData, sort: str, ranked: list, wanted: int) -> list[tuple]:
        """The first `wanted` documents of this segment as (tier rank, sort key…, listing id).

        A tier's rank is a tuple that means the same in every segment, so the segments'
        candidates merge in one order."""
        number = data.column(reader, "listing_number")
        created = data.column(reader, "created")
        price = data.column(reader, "price_minor")

        def key(tier: int, docnum: int) -> tuple:
            if sort == "price_asc":
                return (tier, price[docnum], number[docnum], number[docnum])
            if sort == "price_desc":
                return (tier, -price[docnum], number[docnum], number[docnum])
            return (tier, -created[docnum], -number[docnum], number[docnum])

        found: list[tuple] = []
        for tier, bitmap in ranked:
            count = bitmap.bit_count()
            if count * 20 < data.size:
                docnums = _set_bits(bitmap)
                found += heapq.nsmallest(wanted - len(found), (key(tier, d) for d in docnums))
            else:  # dense: walk the presorted order until enough are found
                bits = bitmap.to_bytes((data.size >> 3) + 1, "little")
                for docnum in data.order(reader, sort):
                    if bits[docnum >> 3] >> (docnum & 7) & 1:
                        found.append(key(tier, docnum))
                        if len(found) >= wanted:
                            break
            if len(found) >= wanted:
                break
        return found
