"""Benchmark the pages every visitor opens: home, product, cooperative and search pages.

    .venv/bin/python bench/pages.py                  # 2,000 listings, 15 s per page
    .venv/bin/python bench/pages.py -n 500 -d 6 --no-write

Builds a throwaway instance in a temp folder (TERROIR_INSTANCE_PATH, DATABASE_URL on
SQLite; the schema is built from the models, as the tests do), loads the demo data with
`flask demo load`, and scales it to N live listings by copying the demo listings (their
photo files hard-linked, not re-encoded); among them, certified GI listings for the
revocation check (bench/revocation.py). It then serves the shop in its default
configuration as production runs it: gunicorn with the project's gunicorn.conf.py
(`preload_app`, the `post_fork` hook), 2 sync workers, the page cache on with its defaults
(bench/cache_probe.py adds two headers saying whether a copy answered, and which worker),
and the same shop with PUBLIC_PAGE_CACHE_SECONDS=0 for comparison. wrk loads each page:
the home page, product pages picked at random among 200 listings, the cooperatives'
pages and searches (Chinese and pinyin). In the same run a bare Flask app
(bench/ceiling.py) renders 20 rows from the same SQLite file under the same gunicorn: the
ceiling. Each page gets its seconds in a few rounds, taken in turn with the ceiling, so
that a neighbour's load on a shared machine weighs on both alike. While the default
shop's pages are loaded, a county official revokes one GI badge a second and each is
checked gone at once (bench/revocation.py); the same shop is then measured with the
revoker paused and its copies filled. Records requests/s, p50, p99, errors, the workers'
RSS, PSS and USS after the searches and the revocation check, prints a Markdown table
(bench/pages_report.py) and writes it to the "Pages" section of bench/RESULTS.md.

The verify page is measured by bench/verify_page.py. `--layout two-nodes` measures the
production layout instead (two nodes behind nginx on PostgreSQL and Redis, against one node,
the verify page included): see bench/two_nodes.py.
"""
from __future__ import annotations

import argparse
from collections import Counter
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.recording import write_section  # noqa: E402
from bench.processes import answers_soon  # noqa: E402

WORKERS = 2
#: The aims of issue 18: a share of the ceiling's requests/s in the same run.
AIMS = {"home": 1 / 3, "product": 1 / 2, "cooperative": 1 / 3, "search": 1 / 4}
#: What a worker may hold after the searches (MB); compared with its PSS (see pages_report.py).
WORKER_AIM_MB = 120
#: The search page's mix, as visitors type it: Chinese and pinyin, a facet and a sort.
SEARCH_QUERIES = tuple(urlencode(query) for query in (
    {"q": "龙井"}, {"q": "西湖龙井"}, {"q": "五常大米"}, {"q": "铁观音"}, {"q": "茶", "category": "tea"},
    {"q": "枸杞", "sort": "price_asc"}, {"q": "longjing"}, {"q": "wuchang dami"}, {"q": "tieguanyin"},
    {"q": "gouqi"}))
#: The one-node run's shops: the default configuration, and the same with the page cache off.
SHOPS = {"default": {}, "no cache": {"PUBLIC_PAGE_CACHE_SECONDS": "0"}}
#: Its rows: which shop, and whether a badge is revoked every second meanwhile (bench/revocation.py).
CONFIGURATIONS = {"default": ("default", True), "default, no revocations": ("default", False),
                  "no cache": ("no cache", False)}
#: Rows whose every page is first loaded until each worker holds its copy: the cache's steady state.
FILLED = frozenset({"default, no revocations"})
PAGES = ("home", "product", "cooperative", "search")


def prepare(folder: Path, listings: int, database_url: str | None = None, before_index=None) -> Path:
    """Make the instance: schema, demo data, then copies up to `listings` live listings.

    On a SQLite file in `folder` (returned) unless `database_url` names another database.
    `before_index(app)`, if given, adds its own rows (in an app context) before the index is built.
    """
    database = folder / "bench.sqlite3"
    os.environ["TERROIR_INSTANCE_PATH"] = str(folder / "instance")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{database}"
    os.environ["FLASK_APP"] = "wsgi.py"
    os.environ.setdefault("PUBLIC_URL", "http://127.0.0.1")  # production settings need it
    from marketplace import create_app
    from marketplace.extensions import db

    app = create_app()
    with app.app_context():
        db.create_all()
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        if result.exit_code != 0:
            raise SystemExit(f"flask demo load failed:\n{result.output}\n{result.exception!r}")
        scale_listings(app, listings)
        if before_index is not None:
            before_index(app)
        result = app.test_cli_runner().invoke(args=["search", "reindex"])
        if result.exit_code != 0:
            raise SystemExit(f"flask search reindex failed:\n{result.output}\n{result.exception!r}")
        db.session.remove()
        db.engine.dispose()
    return database


def scale_listings(app, wanted: int) -> None:
    """Copy the demo's live listings (and link their photo files) until `wanted` are live."""
    from sqlalchemy import func, insert, select

    from marketplace.catalog.models import Listing, ListingPhoto, ListingStatus
    from marketplace.extensions import db

    live = list(db.session.scalars(select(Listing).where(Listing.status == ListingStatus.ACTIVE)
                                   .order_by(Listing.id)))
    if not live:
        raise SystemExit("the demo data holds no live listing to copy")
    next_id = (db.session.scalar(select(func.max(Listing.id))) or 0) + 1
    rows, photo_rows = [], []
    for n in range(max(0, wanted - len(live))):
        source = live[n % len(live)]
        row, photos = listing_copy(source, next_id + n, f"{source.title} · {n + 1}", minutes_old=n)
        rows.append(row)
        photo_rows += photos
    for start in range(0, len(rows), 500):
        db.session.execute(insert(Listing), rows[start:start + 500])
    for start in range(0, len(photo_rows), 500):
        db.session.execute(insert(ListingPhoto), photo_rows[start:start + 500])
    db.session.commit()
    print(f"{len(live) + len(rows):,} live listings, {len(photo_rows):,} photos copied", flush=True)


def listing_copy(source, listing_id: int, title: str, minutes_old: int = 0, batch_id: int | None = None):
    """A live listing's row copied under a new id and title, and its photo rows (files hard-linked)."""
    from marketplace.catalog.models import ListingStatus
    from marketplace.core.storage import folder, random_name

    now = datetime.now(timezone.utc)
    photos_dir = folder("photos")
    row = {"id": listing_id, "cooperative_id": source.cooperative_id, "title": title,
           "description": source.description, "category": source.category, "price_minor": source.price_minor,
           "unit": source.unit, "weight_grams": source.weight_grams, "stock": source.stock,
           "status": ListingStatus.ACTIVE, "batch_id": batch_id or source.batch_id,
           "created_at": now - timedelta(minutes=minutes_old), "updated_at": now}
    photo_rows = []
    for photo in source.photos:
        names = {}
        for key in ("filename", "thumbnail"):
            names[key] = random_name("jpg")
            os.link(photos_dir / getattr(photo, key), photos_dir / names[key])
        photo_rows.append({"listing_id": listing_id, "position": photo.position, "width": photo.width,
                           "height": photo.height, **names})
    return row, photo_rows


def copy_listing(source, title: str, batch_id: int) -> int:
    """Insert one copy of `source` on another batch (the revocation check's listings); its id."""
    from sqlalchemy import func, insert, select

    from marketplace.catalog.models import Listing, ListingPhoto
    from marketplace.extensions import db

    listing_id = (db.session.scalar(select(func.max(Listing.id))) or 0) + 1
    row, photo_rows = listing_copy(source, listing_id, title, batch_id=batch_id)
    db.session.execute(insert(Listing), [row])
    if photo_rows:
        db.session.execute(insert(ListingPhoto), photo_rows)
    return listing_id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn master with its workers, on 127.0.0.1, under the project's gunicorn.conf.py.

    gunicorn.conf.py is the production one: `preload_app = True` (the app, jieba's and
    pypinyin's dictionaries and the templates loaded once in the master) and the `post_fork`
    hook that gives each worker its own connections (README, Production).
    """

    def __init__(self, target: str, env: dict, wait: bool = True):
        self.target = target
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "-w", str(WORKERS),
             "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", target], cwd=ROOT, env=env)
        self.url = f"http://127.0.0.1:{self.port}"
        if wait:
            self.wait()

    def wait(self) -> None:
        """Return once a worker answers (the master preloads the app before any worker does)."""
        if not answers_soon(self.url + "/", self.process, 600):
            self.stop()
            raise SystemExit(f"{self.target} did not start")

    def worker_memory(self) -> list[dict[str, float]]:
        """RSS, PSS and USS (MB) of each worker (bench/processes.py)."""
        from bench.processes import children_of, memory_of

        return [memory_of(pid) for pid in children_of(self.process.pid)]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def fill_caches(url: str, paths: list[str], budget: int = 8) -> int:
    """Load each path until every worker answered it from its shared copy (bench/cache_probe.py's
    headers), at most `budget` times; the number of paths some worker still lacks."""
    lacking = 0
    for path in paths:
        holding = set()
        for _attempt in range(budget):
            with urllib.request.urlopen(url + path, timeout=60) as answer:
                answer.read()
                if answer.headers.get("X-Bench-Page-Cache") == "hit":
                    holding.add(answer.headers.get("X-Bench-Worker"))
            if len(holding) >= WORKERS:
                break
        lacking += len(holding) < WORKERS
    return lacking


def wrk(url: str, paths: list[str], seconds: int, connections: int, folder: Path) -> dict:
    """Load `paths` (picked at random per request) for `seconds`; return rate and latencies."""
    script = folder / "paths.lua"
    quoted = ", ".join('"' + path.replace('"', "") + '"' for path in paths)
    script.write_text(f"paths = {{{quoted}}}\n"
                      "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n")
    for path in paths[:20]:  # warm every worker's caches a little
        urllib.request.urlopen(url + path, timeout=30).read()
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True).stdout
    latency = {p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", output)
    elapsed = float(done.group(2)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[done.group(3)]
    return {"requests": int(done.group(1)), "seconds": elapsed, "p50": latency.get("50"),
            "p99": latency.get("99"), "errors": int(errors.group(1)) if errors else 0}


def combine(rounds: list[dict]) -> dict:
    """One figure from several rounds: total rate, median p50, worst p99, all errors."""
    p50s = sorted(r["p50"] for r in rounds)
    return {"rps": sum(r["requests"] for r in rounds) / sum(r["seconds"] for r in rounds),
            "p50": p50s[len(p50s) // 2], "p99": max(r["p99"] for r in rounds),
            "errors": sum(r["errors"] for r in rounds)}


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def targets(database: Path | str, sample: int = 200, exclude: frozenset[int] = frozenset()) -> dict[str, list[str]]:
    """The pages to load; `database` is the SQLite file or a database URL.

    `exclude`: listings left out of the product pages (the revocation check's: once revoked,
    a listing is paused and its page answers 404).
    """
    import sqlalchemy as sa

    engine = sa.create_engine(database if isinstance(database, str) else f"sqlite:///{database}")
    with engine.connect() as connection:
        ids = list(connection.scalars(sa.text("SELECT id FROM listings WHERE status = 'active' ORDER BY id")))
        cooperatives = list(connection.scalars(sa.text("SELECT id FROM cooperatives ORDER BY id")))
    engine.dispose()
    ids = [i for i in ids if i not in exclude]
    random.Random(4).shuffle(ids)
    return {
        "home": ["/"],
        "product": [f"/listings/{i}" for i in ids[:sample]],
        "cooperative": [f"/cooperatives/{c}?page={p}" for c in cooperatives for p in (1, 2, 3)],
        "search": [f"/search?{query}" for query in SEARCH_QUERIES],
    }



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="live listings (default 2,000)")
    parser.add_argument("-d", type=int, default=15, help="seconds of load per page (default 15)")
    parser.add_argument("-c", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds the seconds are split into (default 3)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--pin-trust-version", action="store_true",
                        help="break the cache on purpose (copies outlive revocations) to see the revocation "
                             "check fail; implies --no-write")
    parser.add_argument("--layout", choices=("one-node", "two-nodes"), default="one-node",
                        help="one-node: SQLite against the ceiling (default); two-nodes: PostgreSQL, Redis, "
                             "two nodes behind nginx against one node (bench/two_nodes.py)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")
    if args.layout == "two-nodes":
        from bench.two_nodes import run

        run(args)
        return
    if args.pin_trust_version:
        os.environ["BENCH_PIN_TRUST_VERSION"] = "1"
        args.no_write = True
    one_node(args)


def one_node(args) -> None:
    from bench import pages_report
    from bench.revocation import Revoker, prepare_revocable
    from marketplace.demo.people import DEMO_PASSWORD

    load_at_start = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="terroir-pages-bench-"))
    # One revocation a second while the default shop's pages are loaded, with room to spare.
    wanted = len(PAGES) * args.d + 20
    revocable = []
    try:
        print("Preparing the instance …", flush=True)
        database = prepare(folder, args.n - wanted, before_index=lambda app: revocable.extend(
            prepare_revocable(app, wanted, copy_listing)))
        env = {**os.environ, "BENCH_SQLITE_PATH": str(database)}
        paths = targets(database, exclude=frozenset(item.listing_id for item in revocable))
        servers = {"ceiling": Server("bench.ceiling:app", env, wait=False)}
        for label, settings in SHOPS.items():  # the app as wsgi:app builds it, with two headers added
            servers[label] = Server("bench.cache_probe:app", {**env, **settings}, wait=False)
        revoker = None
        try:
            for server in servers.values():
                server.wait()
            revoker = Revoker(servers["default"].url, revocable, DEMO_PASSWORD, WORKERS)
            revoker.start()
            plan = [("ceiling", "ceiling", ["/"], False, False)] + [
                (f"{page} ({label})", server, paths[page], revoking, label in FILLED)
                for label, (server, revoking) in CONFIGURATIONS.items() for page in PAGES]
            rounds: dict[str, list] = {name: [] for name, *_rest in plan}
            lacking: Counter = Counter()  # pages some worker held no copy of after filling
            seconds = max(1, args.d // args.rounds)
            for number in range(1, args.rounds + 1):
                for name, server, page_paths, revoking, filled in plan:
                    print(f"round {number}/{args.rounds}: {name} …", flush=True)
                    if filled:
                        lacking[name] += fill_caches(servers[server].url, page_paths)
                    if revoking:
                        revoker.resume()
                    rounds[name].append(wrk(servers[server].url, page_paths, seconds, args.c, folder))
                    if revoking:
                        revoker.pause()
                    if revoker.error is not None:
                        raise revoker.error
            results = {name: combine(found) for name, found in rounds.items()}
            memory = {label: servers[label].worker_memory() for label in SHOPS}
        finally:
            try:
                if revoker is not None:
                    revoker.finish()
            finally:
                for server in servers.values():
                    server.stop()
        text = pages_report.report(results, memory, revoker.tally, args, load_at_start, lacking)
        print("\n" + text)
        if not args.no_write:
            write_section("Pages", text)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
