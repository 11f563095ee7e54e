"""Benchmark search: index N synthetic listings, then time a fixed mix of queries.

    .venv/bin/python bench/search.py                 # 100,000 listings, plus 10,000 for scaling
    .venv/bin/python bench/search.py -n 20000 --no-write

Listings are made up (deterministic seed): GI products from the packaged catalogue with
their names and aliases, other farm products, counties from the county table, Chinese
and English titles and descriptions. Each backend indexes them through the same code as
the app (documents.build_document, backend.rebuild) and answers through
services.find_hits (the search page's path, typo widening included, without loading the
listings of the page from the database). SQLite FTS5 on the same pre-segmented words is
timed as a reference floor: MATCH, count and top 20 by bm25, without facets.

PostgreSQL runs on a throwaway cluster (tests/support/postgres.py). Results are printed
and written to the "Search" section of bench/RESULTS.md with the machine and date.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.recording import machine, write_section  # noqa: E402

from gi_standards import load_catalogue, load_counties  # noqa: E402

from marketplace.search import analysis  # noqa: E402
from marketplace.search.documents import ListingFacts, build_document  # noqa: E402
from marketplace.search.query import Filters, PriceBand, parse_text  # noqa: E402

SEED = 20260406
OTHER_PRODUCTS = [
    ("有机绿茶", "Organic green tea", "tea"), ("高山红茶", "Mountain black tea", "tea"),
    ("土鸡蛋", "Free-range eggs", "other"), ("野生蜂蜜", "Wild honey", "processed"),
    ("东北大米", "Northeast rice", "rice"), ("小米", "Foxtail millet", "grain_oil"),
    ("菜籽油", "Rapeseed oil", "grain_oil"), ("红富士苹果", "Fuji apples", "fruit"),
    ("脐橙", "Navel oranges", "fruit"), ("香菇", "Shiitake mushrooms", "vegetables"),
    ("笋干", "Dried bamboo shoots", "processed"), ("核桃", "Walnuts", "processed"),
    ("黑木耳", "Black fungus", "vegetables"), ("糯米", "Glutinous rice", "rice"),
]
GRADES = ["特级", "一级", "二级", "明前", "雨前", "新茶", "精选", "礼盒", "premium", "first grade", "gift box",
          "spring harvest", "family pack"]
WEIGHTS = ["250g", "500g", "1kg", "2.5kg", "5kg", "10kg", "半斤装", "一斤装"]
ZH_SENTENCES = [
    "手工采摘，当季新鲜发货。", "产地直供，合作社统一检测。", "颗粒饱满，口感香甜。", "高山云雾，生态种植。",
    "传统工艺，匠心制作。", "不添加任何防腐剂。", "冷链运输，保证新鲜。", "农户自家种植，产量有限。",
    "汤色清澈，回味甘甜。", "适合送礼，包装精美。", "今年雨水充足，品质上佳。", "全程可追溯。",
]
EN_SENTENCES = [
    "Picked by hand and shipped the same week.", "Grown on terraced hills above the river valley.",
    "Tested by the cooperative's own lab before packing.", "A family recipe kept for three generations.",
    "Sweet aroma and a clean finish.", "Packed in a recyclable paper box.", "Limited harvest this season.",
    "Traceable from field to table.", "Sun dried on bamboo racks.", "Best enjoyed within six months.",
]
EXTRA_WORDS = ("orchard meadow terrace valley spring autumn fragrant smooth mellow golden emerald jade "
               "mountain river village farmer heritage organic natural handmade roasted steamed sundried "
               "aroma harvest bloom leaf grain kernel blossom").split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"

#: The fixed query mix: (label, kind, text, filters, sort).
QUERIES = [
    ("龙井", "single word", "龙井", {}, "relevance"),
    ("tea", "single word", "tea", {}, "relevance"),
    ("大米", "single word", "大米", {}, "relevance"),
    ("west lake", "two words", "west lake", {}, "relevance"),
    ("五常 大米", "two words", "五常 大米", {}, "relevance"),
    ("green tea", "two words", "green tea", {}, "relevance"),
    ("longjing", "pinyin", "longjing", {}, "relevance"),
    ("wuchang", "pinyin", "wuchang", {}, "relevance"),
    ("tieguanyin", "pinyin", "tieguanyin", {}, "relevance"),
    ("longjin", "typo", "longjin", {}, "relevance"),
    ("wuchang rise", "typo", "wuchang rise", {}, "relevance"),
    ("tieguanyn", "typo", "tieguanyn", {}, "relevance"),
    ("tea · 浙江省 · 100-200", "faceted", "tea", {"province": "浙江省", "price": (10000, 20000)}, "relevance"),
    ("茶 · certified", "faceted", "茶", {"certified": True}, "relevance"),
    ("rice · price ↑", "sorted", "rice", {}, "price_asc"),
    ("茶 · newest", "sorted", "茶", {}, "newest"),
    ('"五常大米"', "phrase", '"五常大米"', {}, "relevance"),
]


def synthetic_facts(n: int, seed: int = SEED) -> list[ListingFacts]:
    """N made-up listings, the same for the same seed."""
    rng = random.Random(seed)
    catalogue = load_catalogue()
    counties = {county.code: county for county in load_counties()}
    standards = list(catalogue.values())
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    cooperatives: dict[str, list[str]] = {}
    facts = []
    for listing_id in range(1, n + 1):
        if rng.random() < 0.6:
            standard = rng.choice(standards)
            codes = [code for code in standard.county_codes if code in counties] or list(counties)
            county = counties[rng.choice(codes)]
            names = [standard.names.zh, standard.names.en, *standard.aliases]
            product_zh, product_en, category = standard.names.zh, standard.names.en, standard.category
            slug, gi_names = standard.slug, tuple(names)
            name = rng.choice(names)
        else:
            product_zh, product_en, category = rng.choice(OTHER_PRODUCTS)
            county = counties[rng.choice(list(counties))]
            slug, gi_names = "", ()
            name = rng.choice([product_zh, product_en])
        pool = cooperatives.setdefault(county.code, [])
        if len(pool) < 20 and (not pool or rng.random() < 0.3):
            pool.append(f"{county.name_zh}{rng.choice(SURNAMES)}家{product_zh}专业合作社")
        title = " ".join([name, rng.choice(GRADES), rng.choice(WEIGHTS)])
        if rng.random() < 0.3:
            title = f"{county.name_zh} {title}"
        sentences = rng.sample(ZH_SENTENCES, 2) + rng.sample(EN_SENTENCES, rng.randint(0, 2))
        sentences.append(" ".join(rng.sample(EXTRA_WORDS, 3)) + f" {rng.choice(SURNAMES)}{rng.randint(1, 999)}号")
        rng.shuffle(sentences)
        facts.append(ListingFacts(
            listing_id=listing_id, title=title, description=" ".join(sentences), category=category,
            price_minor=rng.choice([990, 1990, 2990, 4500, 5800, 6800, 8900, 12800, 15800, 26800, 38800, 68800])
            + rng.randint(0, 9) * 10,
            certified=bool(slug) and rng.random() < 0.5,
            created_at=start + timedelta(minutes=listing_id * 7 + rng.randint(0, 6)),
            cooperative_name=rng.choice(pool), county_code=county.code,
            place_names=(county.name_zh, county.name_en, county.city_zh, county.city_en,
                         county.province_zh, county.province_en),
            province=county.province_zh, gi_slug=slug, gi_names=gi_names,
            harvest_date=date(2025, 1, 1) + timedelta(days=rng.randint(0, 400)),
        ))
    return facts


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def filters_of(spec: dict) -> Filters:
    price = spec.get("price")
    return Filters(province=spec.get("province"), certified=spec.get("certified", False),
                   price=PriceBand(*price) if price else None)


def time_queries(run, rounds: int) -> dict:
    """Run the mix once (timed apart: cold caches), then `rounds` times; latencies in milliseconds."""
    cold = []
    for query in QUERIES:
        began = time.perf_counter()
        run(query)
        cold.append((time.perf_counter() - began) * 1000)
    samples, per_query, totals = [], {q[0]: [] for q in QUERIES}, {}
    for _ in range(rounds):
        for query in QUERIES:
            began = time.perf_counter()
            totals[query[0]] = run(query)
            elapsed = (time.perf_counter() - began) * 1000
            samples.append(elapsed)
            per_query[query[0]].append(elapsed)
    return {"p50": percentile(samples, .5), "p95": percentile(samples, .95), "p99": percentile(samples, .99),
            "cold_p50": statistics.median(cold), "cold_max": max(cold),
            "per_query": {label: statistics.median(values) for label, values in per_query.items()},
            "totals": totals}


def app_for(database_url: str, backend: str, index_dir: Path):
    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace import models  # noqa: F401  (every table, for create_all)

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SEARCH_BACKEND": backend,
                      "SEARCH_INDEX_DIR": str(index_dir), "TESTING": True})
    with app.app_context():
        db.create_all()
    return app


def bench_backend(app, facts: list[ListingFacts], rounds: int) -> dict:
    from marketplace.search import services

    by_id = {f.listing_id: f for f in facts}

    def loader(ids):
        ids = list(ids)
        return [build_document(by_id[i]) for i in ids if i in by_id], {i for i in ids if i not in by_id}

    chunks = [[f.listing_id for f in facts[i:i + 1000]] for i in range(0, len(facts), 1000)]
    with app.app_context():
        search = services.backend()
        began = time.perf_counter()
        search.rebuild(chunks, loader)
        indexing = time.perf_counter() - began

        def run(query):
            _label, _kind, text, spec, sort = query
            parsed = parse_text(text, max_chars=200, max_terms=12)
            hits, *_rest = services.find_hits(parsed, filters_of(spec), sort, 1)
            return hits.total

        result = time_queries(run, rounds)
        services.backend().close()
    result["indexing_s"] = indexing
    return result


def fts_words(document) -> str:
    parts = [document.title, document.gi, document.cooperative, document.place, document.category_words,
             document.description]
    return " ".join(word for part in parts for slot in part.split() for word in slot.split("|")) + " " + document.pinyin


def bench_fts5(facts: list[ListingFacts], folder: Path, rounds: int) -> dict:
    connection = sqlite3.connect(folder / f"fts-{len(facts)}.sqlite3")
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(words, tokenize='unicode61')")
    began = time.perf_counter()
    rows = ((f.listing_id, fts_words(build_document(f))) for f in facts)
    connection.executemany("INSERT INTO docs (rowid, words) VALUES (?, ?)", rows)
    connection.commit()
    indexing = time.perf_counter() - began

    def run(query):
        parsed = parse_text(query[2], max_chars=200, max_terms=12)
        parts = []
        for clause in parsed.clauses:
            if clause.phrase:
                parts.append('"' + " ".join(t.term for t in clause.terms) + '"')
            else:
                term = clause.terms[0]
                options = {term.term, term.raw}
                parts.append("(" + " OR ".join(f'"{o}"' for o in options) + ")")
        match = " AND ".join(parts)
        total = connection.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]
        connection.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 20",
                           (match,)).fetchall()
        return total

    result = time_queries(run, rounds)
    result["indexing_s"] = indexing
    connection.close()
    return result


def _writer_process(folder: str, strategy: str, worker: int, updates: int, results) -> None:
    """One process of the writers experiment: `updates` one-document writes."""
    from whoosh import index
    from whoosh.writing import AsyncWriter, BufferedWriter

    errors = 0
    buffered = None
    for _attempt in range(50):  # a writer in another process may be replacing the TOC
        try:
            ix = index.open_dir(folder)
            break
        except OSError:
            time.sleep(0.01)
    else:
        results.put(updates)
        return
    for n in range(updates):
        fields = {"listing_id": f"{worker}-{n}", "title": f"listing {worker} {n}"}
        try:
            if strategy == "plain":
                writer = ix.writer()
            elif strategy == "timeout":
                writer = ix.writer(timeout=30, delay=0.02)
            elif strategy == "async":
                writer = AsyncWriter(ix)
            else:
                buffered = buffered or BufferedWriter(ix, period=None, limit=1000)
                writer = buffered
            writer.update_document(**fields)
            if writer is not buffered:
                writer.commit()
        except Exception:
            errors += 1
    if buffered is not None:
        try:
            buffered.close()
        except Exception:
            errors += 1
    results.put(errors)


def bench_writers(processes: int = 8, updates: int = 40) -> str:
    """Eight processes writing one document at a time with each kind of Whoosh writer."""
    import multiprocessing

    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    lines = [f"Whoosh writers, {processes} processes × {updates} one-document updates at once "
             "(`bench/search.py --writers`):", "",
             "| writer | seconds | errors raised | documents found at once | found 2 s later |",
             "| --- | ---: | ---: | ---: | ---: |"]
    context = multiprocessing.get_context("fork")
    for strategy in ("plain", "timeout", "async", "buffered"):
        folder = tempfile.mkdtemp(prefix="terroir-writers-")
        index.create_in(folder, Schema(listing_id=ID(stored=True, unique=True), title=TEXT))
        results = context.Queue()
        workers = [context.Process(target=_writer_process, args=(folder, strategy, w, updates, results))
                   for w in range(processes)]
        began = time.perf_counter()
        for worker in workers:
            worker.start()
        errors = sum(results.get(timeout=300) for _ in workers)
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - began
        found_now = index.open_dir(folder).doc_count()
        time.sleep(2)
        found_later = index.open_dir(folder).doc_count()
        label = {"plain": "`ix.writer()`", "timeout": "`ix.writer(timeout=30, delay=0.02)`",
                 "async": "`AsyncWriter`", "buffered": "`BufferedWriter` (one per process)"}[strategy]
        lines.append(f"| {label} | {elapsed:.1f} | {errors} | {found_now} of {processes * updates} | {found_later} |")
        shutil.rmtree(folder, ignore_errors=True)
    return "\n".join(lines)



def run_all(n: int, rounds: int, folder: Path, with_postgres: bool) -> dict:
    print(f"Making {n:,} listings …", flush=True)
    facts = synthetic_facts(n)
    results = {}
    print("Whoosh …", flush=True)
    app = app_for(f"sqlite:///{folder / f'whoosh-{n}.sqlite3'}", "whoosh", folder / f"index-{n}")
    results["Whoosh"] = bench_backend(app, facts, rounds)
    shutil.rmtree(folder / f"index-{n}", ignore_errors=True)
    if with_postgres:
        from sqlalchemy import create_engine

        from tests.support.postgres import PostgresCluster

        print("PostgreSQL …", flush=True)
        cluster = PostgresCluster().start()
        try:
            admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql(f"CREATE DATABASE bench_{n}")
            admin.dispose()
            app = app_for(cluster.url(f"bench_{n}"), "postgres", folder / "unused")
            results["PostgreSQL"] = bench_backend(app, facts, rounds)
            with app.app_context():
                from marketplace.extensions import db
                db.engine.dispose()
        finally:
            cluster.stop()
    print("SQLite FTS5 …", flush=True)
    results["SQLite FTS5 (floor)"] = bench_fts5(facts, folder, rounds)
    return results


def report(sizes: dict[int, dict], rounds: int) -> str:
    lines = [
        f"Measured {datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine()} with `bench/search.py` "
        f"(seed {SEED}, {len(QUERIES)} queries × {rounds} rounds after one warm-up round; latency of "
        "`services.find_hits`: query, facet counts, top 20, typo widening; no page rendering).",
        "",
        "| listings | backend | indexing (s) | p50 (ms) | p95 (ms) | p99 (ms) | first run: median / max (ms) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, results in sizes.items():
        for name, r in results.items():
            lines.append(f"| {n:,} | {name} | {r['indexing_s']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} | "
                         f"{r['p99']:.1f} | {r['cold_p50']:.1f} / {r['cold_max']:.1f} |")
    largest = max(sizes)
    lines += ["", f"Median per query at {largest:,} listings (ms), and how many listings it found:", "",
              "| query | kind | " + " | ".join(sizes[largest]) + " |",
              "| --- | --- |" + " ---: |" * len(sizes[largest])]
    for label, kind, *_ in QUERIES:
        cells = [f"{r['per_query'][label]:.1f} ({r['totals'][label]:,})" for r in sizes[largest].values()]
        lines.append(f"| {label} | {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="listings (default 100,000)")
    parser.add_argument("--compare", type=int, default=10_000, help="a smaller size for scaling (0: none)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--writers", action="store_true", help="only the experiment with Whoosh writers")
    args = parser.parse_args()
    if args.writers:
        print(bench_writers())
        return
    os.environ.setdefault("TERROIR_INSTANCE_PATH", tempfile.mkdtemp(prefix="terroir-bench-"))
    os.environ.setdefault("PUBLIC_URL", "http://127.0.0.1")  # production settings need it
    analysis.prepare_jieba()
    folder = Path(tempfile.mkdtemp(prefix="terroir-search-bench-"))
    try:
        sizes = {}
        for n in sorted({args.compare, args.n} - {0}):
            sizes[n] = run_all(n, args.rounds, folder, not args.no_postgres)
        text = report(sizes, args.rounds)
        print("\n" + text, flush=True)
        if not args.no_write:
            write_section("Search", text)
        text += "\n\n" + bench_writers()
        print("\n" + text.split("\n\n")[-1])
        if not args.no_write:
            write_section("Search", text)
            print("\nWritten to bench/RESULTS.md (section Search).")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
