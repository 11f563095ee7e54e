"""The PostgreSQL backend: full-text search in the shared database, for many app servers.

Documents live in `search_documents` (see models.py): a tsvector built with the 'simple'
configuration from words that Python already segmented (jieba, pinyin, English stems),
one weight per zone of the document (A title, B GI product, C other names, D description;
see ranking.py), under a GIN index. Facets are
counted in one GROUP BY GROUPING SETS over the matches. Typo tolerance looks for close
spellings in `search_words` with pg_trgm when the server has it (and by first letter and
length for short words, or when it has not).

Writers serialise per listing with transaction-level advisory locks, taken in id order
(no deadlock), and read the listings only once they hold them: the last writer always
writes what the database held last. A rebuild upserts the documents in chunks (each its
own short transaction) and then drops the documents of listings that no longer exist, so
searches keep being answered from the same table all along.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import text

from marketplace.extensions import db
from marketplace.search.backends.base import Loader, SearchBackend, SearchUnavailable
from marketplace.search.documents import Document
from marketplace.search.query import Clause, SearchHits, SearchPlan, term_options

#: First key of the advisory locks that guard one listing's document.
LOCK_NAMESPACE = 7306
#: The weight of each zone of a document in its tsvector.
ZONE_WEIGHTS = {"title": "A", "gi": "B", "other": "C", "description": "D"}
FACET_COLUMNS = {"gi": "gi_slug", "province": "province", "county": "county_code",
                 "category": "category", "certified": "certified", "poverty": "poverty_lifted"}
#: Facets of a true/false column: counted as {"1": listings where it is true}.
FLAG_FACETS = ("certified", "poverty")
ORDER_BY = {
    "relevance": "d.created DESC, d.listing_id DESC",
    "price_asc": "d.price_minor ASC, d.listing_id",
    "price_desc": "d.price_minor DESC, d.listing_id",
    "newest": "d.created DESC, d.listing_id DESC",
}
UPSERT = text("""
INSERT INTO search_documents (listing_id, fingerprint, document, gi_slug, province, county_code,
                              category, certified, poverty_lifted, price_minor, created, harvest)
VALUES (:listing_id, :fingerprint,
        setweight(to_tsvector('simple', :a), 'A') || setweight(to_tsvector('simple', :b), 'B')
        || setweight(to_tsvector('simple', :c), 'C') || setweight(to_tsvector('simple', :d), 'D'),
        :gi_slug, :province, :county_code, :category, :certified, :poverty_lifted, :price_minor, :created,
        :harvest)
ON CONFLICT (listing_id) DO UPDATE SET
    fingerprint = excluded.fingerprint, document = excluded.document, gi_slug = excluded.gi_slug,
    province = excluded.province, county_code = excluded.county_code, category = excluded.category,
    certified = excluded.certified, poverty_lifted = excluded.poverty_lifted,
    price_minor = excluded.price_minor, created = excluded.created,
    harvest = excluded.harvest
""")


def _main(encoded: str) -> str:
    """The words at their positions (the first of each slot), for phrases to match."""
    return " ".join(slot.split("|", 1)[0] for slot in encoded.split())


def _inner(encoded: str) -> str:
    return " ".join(word for slot in encoded.split() for word in slot.split("|")[1:] if word)


def _row(document: Document) -> dict:
    zones = {weight.lower(): getattr(document, zone) for zone, weight in ZONE_WEIGHTS.items()}
    return {
        "listing_id": document.listing_id, "fingerprint": document.fingerprint,
        **{key: f"{_main(value)} {_inner(value)}" for key, value in zones.items()},
        "gi_slug": document.gi_slug, "province": document.province,
        "county_code": document.county_code, "category": document.category,
        "certified": document.certified, "poverty_lifted": document.poverty_lifted,
        "price_minor": document.price_minor,
        "created": document.created, "harvest": document.harvest,
    }


def _lexeme(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


def clause_tsquery(clause: Clause, weights: str = "") -> str:
    """One clause as a to_tsquery string, found only in the zones of `weights` if given."""
    label = f":{weights}" if weights else ""
    if clause.phrase:
        return "(" + " <-> ".join(_lexeme(term.term) + label for term in clause.terms) + ")"
    options: list[tuple[str, ...]] = []
    for term in (*clause.terms, *clause.alternatives):
        options.extend(term_options(term))
    parts = ["(" + " & ".join(_lexeme(key) + label for key in option) + ")" if len(option) > 1
             else _lexeme(option[0]) + label for option in dict.fromkeys(options)]
    return "(" + " | ".join(parts) + ")"


def tsquery_of(plan: SearchPlan) -> str:
    """The plan's clauses as a to_tsquery string: words ORed with their spellings, ANDed."""
    return " & ".join(clause_tsquery(clause) for clause in plan.clauses)


def relevance_order(plan: SearchPlan) -> tuple[str, dict]:
    """ORDER BY terms and their parameters for the order of ranking.py."""
    params: dict[str, str] = {}
    terms = []

    def matches(name: str, query: str) -> str:
        params[name] = query
        return f"(d.document @@ to_tsquery('simple', :{name}))"

    if plan.preferred:
        terms.append(matches("rank_preferred", " & ".join(clause_tsquery(c) for c in plan.preferred)) + " DESC")
    gi = matches("rank_gi", " | ".join(clause_tsquery(c, ZONE_WEIGHTS["gi"]) for c in plan.clauses))
    terms.append(f"CASE WHEN {gi} THEN (CASE WHEN d.certified THEN 0 ELSE 1 END) ELSE 2 END")
    names = ZONE_WEIGHTS["title"] + ZONE_WEIGHTS["gi"] + ZONE_WEIGHTS["other"]
    for key, weights in (("title", ZONE_WEIGHTS["title"]), ("names", names)):
        counted = [matches(f"rank_{key}_{index}", clause_tsquery(clause, weights)) + "::int"
                   for index, clause in enumerate(plan.clauses)]
        terms.append("(" + " + ".join(counted) + ") DESC")
    return ", ".join([*terms, ORDER_BY["relevance"]]), params


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self, writer_timeout: float = 15.0, rank_limit: int = 5000):
        self._trigram: bool | None = None
        self.writer_timeout = writer_timeout
        self.rank_limit = rank_limit

    def _engine(self):
        engine = db.engine
        if engine.dialect.name != "postgresql":
            raise SearchUnavailable("SEARCH_BACKEND=postgres needs DATABASE_URL to be a PostgreSQL database")
        return engine

    # --- writing ----------------------------------------------------------------------

    def apply(self, listing_ids, loader: Loader, timeout: float | None = None) -> None:
        ids = sorted({int(i) for i in (listing_ids() if callable(listing_ids) else listing_ids)})
        if ids:
            self._apply(ids, loader, timeout)

    def _apply(self, ids: list[int], loader: Loader, timeout: float | None = None) -> list[Document]:
        wait = self.writer_timeout if timeout is None else timeout
        with self._engine().begin() as connection:
            # Wait for another writer of the same listings no longer than a Whoosh writer would.
            connection.execute(text(f"SET LOCAL lock_timeout = {max(1, int(wait * 1000))}"))
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:ns, l.id) FROM "
                     "(SELECT unnest(CAST(:ids AS integer[])) AS id ORDER BY 1) AS l"),
                {"ns": LOCK_NAMESPACE, "ids": ids},
            )
            documents, gone = loader(ids)
            if gone:
                connection.execute(text("DELETE FROM search_documents WHERE listing_id = ANY(:ids)"),
                                   {"ids": sorted(gone)})
            if documents:
                connection.execute(UPSERT, [_row(document) for document in documents])
                words = sorted({w[:80] for d in documents for w in (*d.spelling.split(), *d.pinyin.split())})
                connection.execute(
                    text("INSERT INTO search_words (word) SELECT w FROM unnest(CAST(:words AS text[])) AS w "
                         "WHERE NOT EXISTS (SELECT 1 FROM search_words s WHERE s.word = w) "
                         "ORDER BY 1 ON CONFLICT DO NOTHING"),
                    {"words": words},
                )
            return documents

    def rebuild(self, chunks: Iterable[list[int]], loader: Loader,
                progress: Callable[[int], None] | None = None) -> int:
        count = 0
        seen: set[int] = set()
        words: set[str] = set()
        for chunk in chunks:
            documents = self._apply(sorted(chunk), loader)
            seen.update(chunk)
            count += len(documents)
            for document in documents:
                words.update(w[:80] for w in (*document.spelling.split(), *document.pinyin.split()))
            if progress:
                progress(len(chunk))
        with self._engine().connect() as connection:
            leftovers = [row.listing_id for row in connection.execute(
                text("SELECT listing_id FROM search_documents WHERE NOT (listing_id = ANY(:seen))"),
                {"seen": sorted(seen)})]
        if leftovers:
            # Documents of listings the rebuild did not meet: ask the database about each
            # (under their locks), so one created meanwhile is kept and a deleted one goes.
            self._apply(sorted(leftovers), loader)
        with self._engine().begin() as connection:
            connection.execute(text("DELETE FROM search_words WHERE NOT (word = ANY(:words))"),
                               {"words": sorted(words)})
        return count

    # --- reading ----------------------------------------------------------------------

    def _where(self, plan: SearchPlan) -> tuple[str, dict]:
        conditions, params = [], {}
        if plan.clauses:
            conditions.append("d.document @@ q.query")
            params["tsquery"] = tsquery_of(plan)
        filters = plan.filters
        for name, value in (("gi_slug", filters.gi), ("province", filters.province),
                            ("county_code", filters.county), ("category", filters.category)):
            if value:
                conditions.append(f"d.{name} = :{name}")
                params[name] = value
        if filters.certified:
            conditions.append("d.certified")
        if filters.poverty_lifted:
            conditions.append("d.poverty_lifted")
        if filters.price is not None:
            conditions.append("d.price_minor >= :price_low")
            params["price_low"] = filters.price.low
            if filters.price.high is not None:
                conditions.append("d.price_minor < :price_high")
                params["price_high"] = filters.price.high
        return " AND ".join(conditions) or "TRUE", params

    def search(self, plan: SearchPlan) -> SearchHits:
        facets: dict[str, dict[str, int]] = {name: {} for name in (*FACET_COLUMNS, "price")}
        if not plan.clauses and not plan.filters.active:
            return SearchHits(0, [], facets)
        where, params = self._where(plan)
        source = "search_documents d"
        if plan.clauses:
            source += ", to_tsquery('simple', :tsquery) AS q(query)"
        band_cases = " ".join(
            f"WHEN d.price_minor >= {band.low}" + (f" AND d.price_minor < {band.high}" if band.high else "")
            + f" THEN '{band.key}'" for band in plan.bands) or "WHEN FALSE THEN ''"
        columns = ", ".join(FACET_COLUMNS.values())
        groups = ", ".join(f"({column})" for column in (*FACET_COLUMNS.values(), "band"))
        facet_sql = text(f"""
            SELECT {columns}, band, count(*) AS hits,
                   GROUPING({columns}, band) AS grouping_mask
            FROM (SELECT d.gi_slug, d.province, d.county_code, d.category, d.certified, d.poverty_lifted,
                         CASE {band_cases} END AS band
                  FROM {source} WHERE {where}) AS m
            GROUP BY GROUPING SETS ({groups}, ())""")
        names = [*FACET_COLUMNS, "price"]
        total = 0
        with self._engine().connect() as connection:
            for row in connection.execute(facet_sql, params):
                mask = row.grouping_mask
                if mask == (1 << len(names)) - 1:
                    total = row.hits
                    continue
                for index, name in enumerate(names):
                    # GROUPING's bit for a column is 0 when rows are grouped by it.
                    if not mask & (1 << (len(names) - 1 - index)):
                        value = row[index]
                        if name in FLAG_FACETS:
                            if value:
                                facets[name]["1"] = row.hits
                        elif value not in (None, ""):
                            facets[name][str(value)] = row.hits
            for name in FLAG_FACETS:
                facets[name].setdefault("1", 0)
            ids: list[int] = []
            if total and plan.offset < total:
                sql, order_params = self._page_sql(plan, source, where, total)
                page_params = {**params, **order_params, "limit": plan.limit, "offset": plan.offset}
                ids = [row.listing_id for row in connection.execute(sql, page_params)]
        return SearchHits(total, ids, facets)

    def _page_sql(self, plan: SearchPlan, source: str, where: str, total: int):
        """The page's listing ids in the order asked, and the order's parameters.

        Relevance follows ranking.py; past `rank_limit` matches (a query of one common
        word) ranking every match costs more than it tells, so those are listed newest
        first, which needs no look at the documents themselves.
        """
        params: dict = {}
        order = ORDER_BY.get(plan.sort, ORDER_BY["newest"])
        if plan.sort == "relevance":
            order = ORDER_BY["newest"]
            if plan.clauses and total <= self.rank_limit:
                order, params = relevance_order(plan)
        return text(f"SELECT d.listing_id FROM {source} WHERE {where} "
                    f"ORDER BY {order} LIMIT :limit OFFSET :offset"), params

    def _has_trigram(self, connection) -> bool:
        if self._trigram is None:
            self._trigram = bool(connection.execute(
                text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).scalar())
        return self._trigram

    def known_words(self, words: Iterable[str]) -> set[str]:
        wanted = sorted(set(words))
        if not wanted:
            return set()
        with self._engine().connect() as connection:
            return set(connection.execute(
                text("SELECT word FROM search_words WHERE word = ANY(:words)"), {"words": wanted}).scalars())

    def close_words(self, word: str, max_edits: int) -> list[tuple[str, int]]:
        if max_edits < 1 or not word:
            return []
        found: set[str] = set()
        with self._engine().begin() as connection:
            if self._has_trigram(connection):
                connection.execute(text("SET LOCAL pg_trgm.similarity_threshold = 0.3"))
                found.update(connection.execute(
                    text("SELECT word FROM search_words WHERE word % :word LIMIT 200"), {"word": word}).scalars())
            if len(word) <= 5 or not self._has_trigram(connection):
                found.update(connection.execute(
                    text("SELECT word FROM search_words WHERE word >= :low AND word < :high "
                         "AND length(word) BETWEEN :shortest AND :longest LIMIT 2000"),
                    {"low": word[0], "high": chr(ord(word[0]) + 1),
                     "shortest": len(word) - max_edits, "longest": len(word) + max_edits},
                ).scalars())
        found.discard(word)
        return [(candidate, 1) for candidate in found]

    def fingerprints(self) -> dict[int, str]:
        with self._engine().connect() as connection:
            return {row.listing_id: row.fingerprint for row in connection.execute(
                text("SELECT listing_id, fingerprint FROM search_documents"))}
