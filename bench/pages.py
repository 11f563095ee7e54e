"""Benchmark the pages every visitor opens: home, product, cooperative and search pages.

    .venv/bin/python bench/pages.py                  # 2,000 listings, 15 s per page
    .venv/bin/python bench/pages.py -n 500 -d 5 --no-write

Builds a throwaway instance in a temp folder (TERROIR_INSTANCE_PATH, DATABASE_URL on
SQLite; the schema is built from the models, as the tests do), loads the demo data with
`flask demo load`, and scales it to N live listings by copying the demo listings (their
photo files hard-linked, not re-encoded). It then serves the app with gunicorn (2 sync
workers) on 127.0.0.1 and loads each page with wrk: the home page, product pages picked
at random among 200 listings, and the cooperatives' pages. In the same run a bare Flask
app (bench/ceiling.py) renders 20 rows from the same SQLite file under the same gunicorn:
the ceiling. Each page gets its seconds in a few rounds, taken in turn with the ceiling,
so that a neighbour's load on a shared machine weighs on both alike. The shop runs twice: as configured by default (every page built fresh) and
with PUBLIC_PAGE_CACHE_SECONDS set (anonymous visitors share a copy at most that old).
Records requests/s, p50, p99 and the workers' RSS, prints a Markdown table and writes it
to the "Pages" section of bench/RESULTS.md with the machine and date.

The verify page is measured by bench/verify_page.py. `--layout two-nodes` measures the
production layout instead (two nodes behind nginx on PostgreSQL and Redis, against one node,
the verify page included): see bench/two_nodes.py.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.recording import machine, write_section  # noqa: E402

WORKERS = 2
#: The aims: a share of the ceiling's requests/s, and the most a worker may hold.
AIMS = {"product": 1 / 2, "home": 1 / 3, "cooperative": 1 / 3, "search": 1 / 3}
#: The search page's mix: Chinese, pinyin, English, a typo, a facet and a sort.
SEARCH_QUERIES = ("q=%E9%BE%99%E4%BA%95", "q=longjing", "q=wuchang+rice", "q=tieguanyn",
                  "q=%E8%8C%B6&category=tea", "q=rice&sort=price_asc", "q=west+lake")
RSS_AIM_MB = 150
#: What profiling the pages showed (cProfile on one process, same data), kept with the figures.
NOTES = """\
Where the time goes. The ceiling does one sqlite3 query and renders 20 rows. A fresh shop
page does what the ceiling does not: Flask-Login and the session, Babel (one gettext per
label, money formatting), the site layout with its navigation, 4 to 9 SQLAlchemy queries
(the catalogue version, the GI badge's join over certificates and authorizations, the
listings with their cooperative, county, batch and photos in one or two statements, the
counts by GI product, province and category on the home page) and a template of 12 to 24
listing cards. In one process with no load it costs about 1.2 ms for a 404 page, 3 to 6 ms
for a product page, 9 to 13 ms for a cooperative page and 13 to 16 ms for the home page, so
the fresh pages stay far below the aims however the queries are arranged. The optional
copy for anonymous visitors (pagecache/pages.py) answers a hit in 0.4 to 0.7 ms; the
product pages stay below half the ceiling because wrk spreads over 200 listings, so each
worker rebuilds each of them every few seconds. The search page is not cached (its answer
depends on the query); most of its 20 ms goes to segmenting the query with jieba, the
facet counts over every match and the badge rule for the page of results. The figures move
by tens of percent from run to run on this two-CPU machine.

Memory. create_app() takes a fresh process to about 97 MB (pypinyin is imported only when
a word is first converted). The RSS above is measured after the search pages: the first
search (or index write) loads jieba's and pypinyin's dictionaries and the Whoosh index
readers, which takes a worker to about 230 MB; a worker that serves only the other pages
stays near 100 MB."""


def prepare(folder: Path, listings: int, database_url: str | None = None) -> Path:
    """Make the instance: schema, demo data, then copies up to `listings` live listings.

    On a SQLite file in `folder` (returned) unless `database_url` names another database.
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
    from marketplace.core.storage import folder, random_name
    from marketplace.extensions import db

    live = list(db.session.scalars(select(Listing).where(Listing.status == ListingStatus.ACTIVE)
                                   .order_by(Listing.id)))
    if not live:
        raise SystemExit("the demo data holds no live listing to copy")
    photos_dir = folder("photos")
    next_id = (db.session.scalar(select(func.max(Listing.id))) or 0) + 1
    now = datetime.now(timezone.utc)
    rows, photo_rows = [], []
    for n in range(max(0, wanted - len(live))):
        source = live[n % len(live)]
        listing_id = next_id + n
        rows.append({
            "id": listing_id, "cooperative_id": source.cooperative_id, "title": f"{source.title} · {n + 1}",
            "description": source.description, "category": source.category, "price_minor": source.price_minor,
            "unit": source.unit, "weight_grams": source.weight_grams, "stock": source.stock,
            "status": ListingStatus.ACTIVE, "batch_id": source.batch_id,
            "created_at": now - timedelta(minutes=n), "updated_at": now})
        for photo in source.photos:
            names = {}
            for key in ("filename", "thumbnail"):
                names[key] = random_name("jpg")
                os.link(photos_dir / getattr(photo, key), photos_dir / names[key])
            photo_rows.append({"listing_id": listing_id, "position": photo.position, "width": photo.width,
                               "height": photo.height, **names})
    for start in range(0, len(rows), 500):
        db.session.execute(insert(Listing), rows[start:start + 500])
    for start in range(0, len(photo_rows), 500):
        db.session.execute(insert(ListingPhoto), photo_rows[start:start + 500])
    db.session.commit()
    print(f"{len(live) + len(rows):,} live listings, {len(photo_rows):,} photos copied", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn master with its workers, on 127.0.0.1."""

    def __init__(self, target: str, env: dict):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}",
             "--log-level", "warning", target], cwd=ROOT, env=env)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 300  # the master preloads the app before any worker answers
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=5).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"{target} did not start")

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) != self.process.pid:
                    continue
                status = (stat.parent / "status").read_text()
            except (OSError, IndexError, ValueError):
                continue
            rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if rss:
                sizes.append(int(rss.group(1)) / 1024)
        return sorted(sizes)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


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


def targets(database: Path | str, sample: int = 200) -> dict[str, list[str]]:
    """The pages to load; `database` is the SQLite file or a database URL."""
    import sqlalchemy as sa

    engine = sa.create_engine(database if isinstance(database, str) else f"sqlite:///{database}")
    with engine.connect() as connection:
        ids = list(connection.scalars(sa.text("SELECT id FROM listings WHERE status = 'active' ORDER BY id")))
        cooperatives = list(connection.scalars(sa.text("SELECT id FROM cooperatives ORDER BY id")))
    engine.dispose()
    random.Random(4).shuffle(ids)
    return {
        "home": ["/"],
        "product": [f"/listings/{i}" for i in ids[:sample]],
        "cooperative": [f"/cooperatives/{c}?page={p}" for c in cooperatives for p in (1, 2, 3)],
        "search": [f"/search?{query}" for query in SEARCH_QUERIES],
    }



def report(results: dict, rss: dict, listings: int, seconds: int, connections: int, cache: int) -> str:
    ceiling = results["ceiling"]["rps"]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"{datetime.now().strftime('%Y-%m-%d %H:%M')} · {machine()} · load average at the end {load}",
        "",
        f"gunicorn, {WORKERS} sync workers, SQLite (WAL); wrk -t2 -c{connections}, {seconds} s per page "
        f"in rounds taken in turn with the ceiling (p50: median of the rounds, p99: worst round), "
        f"127.0.0.1; {listings:,} live listings from `flask demo load` scaled up; anonymous visitor, Chinese. "
        f"\"fresh\" is the default configuration (every page built from the database); \"cached\" sets "
        f"PUBLIC_PAGE_CACHE_SECONDS={cache} (anonymous visitors share a copy at most {cache} s old).",
        "",
        "| page | requests/s | p50 ms | p99 ms | share of ceiling | aim | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in results.items():
        page = name.split()[0]
        share = row["rps"] / ceiling if ceiling else 0
        aim = f"≥ {AIMS[page]:.0%}" if page in AIMS else "—"
        verdict = "" if page not in AIMS else (" ✓" if share >= AIMS[page] else " ✗")
        lines.append(f"| {name} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
                     f"{share:.0%}{verdict} | {aim} | {row['errors']} |")
    lines.append("")
    for label, sizes in rss.items():
        worst = max(sizes) if sizes else 0
        lines.append(f"Shop worker RSS after the {label} run: {', '.join(f'{size:.0f} MB' for size in sizes)} "
                     f"(aim ≤ {RSS_AIM_MB} MB{' ✓' if worst <= RSS_AIM_MB else ' ✗'}).")
    lines += ["", "Command: `.venv/bin/python bench/pages.py` (see its docstring for options).", "", NOTES]
    return "\n".join(lines)



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="live listings (default 2,000)")
    parser.add_argument("-d", type=int, default=15, help="seconds of load per page (default 15)")
    parser.add_argument("-c", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds the seconds are split into (default 3)")
    parser.add_argument("--cache", type=int, default=5, help="PUBLIC_PAGE_CACHE_SECONDS of the cached run")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
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
    folder = Path(tempfile.mkdtemp(prefix="terroir-pages-bench-"))
    try:
        print("Preparing the instance …", flush=True)
        database = prepare(folder, args.n)
        env = {**os.environ, "BENCH_SQLITE_PATH": str(database)}
        paths = targets(database)
        servers = {}
        try:
            servers["ceiling"] = Server("bench.ceiling:app", env)
            servers["fresh"] = Server("wsgi:app", {**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"})
            servers["cached"] = Server("wsgi:app", {**env, "PUBLIC_PAGE_CACHE_SECONDS": str(args.cache)})
            plan = [("ceiling", "ceiling", ["/"])] + [
                (f"{page} ({label})", label, paths[page])
                for label in ("fresh", "cached") for page in ("home", "product", "cooperative", "search")]
            rounds: dict[str, list] = {name: [] for name, _server, _paths in plan}
            seconds = max(1, args.d // args.rounds)
            for number in range(1, args.rounds + 1):
                for name, server, page_paths in plan:
                    print(f"round {number}/{args.rounds}: {name} …", flush=True)
                    rounds[name].append(wrk(servers[server].url, page_paths, seconds, args.c, folder))
            results = {name: combine(found) for name, found in rounds.items()}
            rss = {label: servers[label].worker_rss_mb() for label in ("fresh", "cached")}
        finally:
            for server in servers.values():
                server.stop()
        text = report(results, rss, args.n, args.d, args.c, args.cache)
        print("\n" + text)
        if not args.no_write:
            write_section("Pages", text)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
