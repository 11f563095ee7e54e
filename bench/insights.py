"""Benchmark the public index: publish a month over N synthetic orders, then time /insights.

    .venv/bin/python bench/insights.py                       # 1,000,000 orders, SQLite and PostgreSQL
    .venv/bin/python bench/insights.py -n 100000 --no-postgres --no-write

Builds a fresh database per backend (SQLite file; PostgreSQL on a throwaway cluster from
tests/support/postgres.py) holding every county of the reference table (poverty flags
set), 300 cooperatives spread over them (a third in counties lifted out of poverty), two
listings each and 5,000 buyers, then inserts N paid orders over 24 months with the same
bulk generator as the demo data (marketplace/insights/synthetic.py), progress shown.

Timed: `snapshots.publish_month` of the last full month (all themes computed from the
order tables, figures stored), exactly what `flask insights publish YYYY-MM` runs; then
the /insights page of that month, in Chinese and English, through the Flask test client
(routing, the page service, templates and SVG charts; no network): p50 and p99 over
--requests requests after two warm-up requests, twice: built for every request (the page
cache off, what the first visitor after a store waits for) and as anonymous visitors get
it by default (a copy shared until any month's figures are stored again). Results are printed and written to the
"Public index" section of bench/RESULTS.md with the machine, date and the load average
(the machine may be shared: the load says how much).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.recording import machine, publish  # noqa: E402

COOPERATIVES = 300
BUYERS = 5000
MONTHS = 24


def app_for(database_url: str, folder: Path):
    from marketplace import create_app
    from marketplace import models  # noqa: F401  (every table, for create_all)
    from marketplace.extensions import db

    os.environ.setdefault("PUBLIC_URL", "http://127.0.0.1:5000")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SEARCH_BACKEND": "whoosh",
                      "SEARCH_INDEX_DIR": str(folder / "index"), "TESTING": True, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
    return app


def build_world(seed: int = 16) -> tuple[list[int], list]:
    """Counties, cooperatives, listings and buyers; return (buyer ids, listings for sale)."""
    from sqlalchemy import insert, select

    from marketplace.accounts.models import User
    from marketplace.catalog.models import Listing, ListingStatus
    from marketplace.cooperatives.models import Cooperative, CooperativeStatus, County
    from marketplace.core.counties import load_reference_counties, reference_counties
    from marketplace.core.poverty_counties import apply_poverty_flags, poverty_lifted_codes
    from marketplace.extensions import db
    from marketplace.insights import synthetic

    rng = random.Random(seed)
    load_reference_counties(db.session.connection(), reference_counties())
    apply_poverty_flags(db.session.connection())
    db.session.commit()
    codes = list(db.session.scalars(select(County.code).where(County.retired_year.is_(None))))
    lifted = sorted(poverty_lifted_codes() & set(codes))
    created = datetime.utcnow() - timedelta(days=3 * 365)
    for index in range(COOPERATIVES):
        county = rng.choice(lifted) if index % 3 == 0 else rng.choice(codes)
        cooperative = Cooperative(name=f"合作社 {index}", credit_code=f"93{county}{index:010d}",
                                  county_code=county, address="某村", phone="13800138000",
                                  status=CooperativeStatus.VERIFIED, created_at=created)
        db.session.add(cooperative)
        for number in range(2):
            db.session.add(Listing(cooperative=cooperative, title=f"农产品 {index}-{number}",
                                   category=rng.choice(("tea", "rice", "fruit", "processed")),
                                   price_minor=rng.randint(10, 300) * 100, unit="500 g", stock=10**6,
                                   status=ListingStatus.ACTIVE))
    db.session.commit()
    db.session.execute(insert(User), [{"email": f"buyer{n}@bench.example", "display_name": f"买家 {n}",
                                       "password_hash": "-", "session_token": f"{n:032x}"}
                                      for n in range(BUYERS)])
    db.session.commit()
    buyers = list(db.session.scalars(select(User.id)))
    return buyers, synthetic.listings_for_sale()


def generate_orders(count: int, buyers: list[int], listings: list, now: datetime) -> float:
    from marketplace.insights import snapshots, synthetic

    current = snapshots.current_month()
    start, _ = current.back(MONTHS + 1)[0].naive_bounds(snapshots.zone())
    done = [0]
    began = time.monotonic()

    def progress(batch: int) -> None:
        done[0] += batch
        if done[0] % 50_000 < batch or done[0] == count:
            rate = done[0] / max(time.monotonic() - began, 1e-9)
            print(f"  orders {done[0]:>9,} / {count:,}  ({rate:,.0f}/s)", flush=True)

    synthetic.generate(count, buyers, listings, start, now - timedelta(days=1), progress=progress)
    return time.monotonic() - began


def time_publish(month) -> tuple[float, float, int, int]:
    """Seconds to publish `month` (wall, and this process's CPU), figures stored, sub-orders paid in it."""
    from sqlalchemy import func, select

    from marketplace.extensions import db
    from marketplace.insights import snapshots
    from marketplace.orders.models import SubOrder

    window = snapshots.window_for(month)
    paid = db.session.scalar(select(func.count(SubOrder.id)).where(
        SubOrder.paid_at >= window.naive_start, SubOrder.paid_at < window.naive_end))
    db.session.commit()
    began, began_cpu = time.monotonic(), time.process_time()
    stored = snapshots.publish_month(month, progress=lambda theme, n: print(
        f"  {theme:<10} {n:>6} figures  {time.monotonic() - began:6.1f} s", flush=True))
    return time.monotonic() - began, time.process_time() - began_cpu, stored, paid


def time_page(app, month, requests: int, shared: bool) -> dict:
    """p50/p99 of the page, built every time (`shared` False) or from the shared copy as by default."""
    app.config["PUBLIC_PAGE_CACHE_SECONDS"] = 600 if shared else 0
    client = app.test_client()
    samples, cpu = [], []
    paths = [f"/insights?month={month}"] * 2
    headers = ({"Accept-Language": "zh-CN"}, {"Accept-Language": "en"})
    for index in range(requests + 2):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(paths[index % 2], headers=headers[index % 2])
        elapsed = (time.perf_counter() - began) * 1000
        used = (time.process_time() - began_cpu) * 1000
        assert response.status_code == 200, response.status_code
        assert b"<svg" in response.data
        if index >= 2:
            samples.append(elapsed)
            cpu.append(used)
    return {"p50": statistics.median(samples), "p99": percentile(samples, .99),
            "cpu_p50": statistics.median(cpu), "cpu_p99": percentile(cpu, .99), "requests": len(samples)}


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run_backend(name: str, database_url: str, folder: Path, count: int, requests: int) -> dict:
    from marketplace.extensions import db
    from marketplace.insights import snapshots

    print(f"{name}: building the world …", flush=True)
    app = app_for(database_url, folder)
    with app.app_context():
        buyers, listings = build_world()
        now = datetime.utcnow()
        print(f"{name}: {count:,} synthetic orders …", flush=True)
        generated = generate_orders(count, buyers, listings, now)
        month = snapshots.current_month().previous()
        print(f"{name}: publishing {month} …", flush=True)
        seconds, cpu_seconds, stored, paid = time_publish(month)
        print(f"{name}: published {month} in {seconds:.1f} s ({stored} figures, {paid:,} sub-orders paid)")
        page = time_page(app, month, requests, shared=False)
        print(f"{name}: /insights built p50 {page['p50']:.1f} ms, p99 {page['p99']:.1f} ms")
        copy = time_page(app, month, requests, shared=True)
        print(f"{name}: /insights shared copy p50 {copy['p50']:.1f} ms, p99 {copy['p99']:.1f} ms")
        page.update({f"shared_{key}": value for key, value in copy.items()})
        db.engine.dispose()
    return {"generate": generated, "publish": seconds, "publish_cpu": cpu_seconds, "figures": stored, "paid": paid, "month": str(month),
            **page}


def report(results: dict, count: int, load: tuple) -> str:
    lines = [
        f"Measured {datetime.now().strftime('%Y-%m-%d %H:%M')} UTC on {machine()} with "
        f"`bench/insights.py -n {count}`: {count:,} synthetic orders over {MONTHS} months, "
        f"{COOPERATIVES} cooperatives, {BUYERS:,} buyers. Load average before the run: "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) on 2 CPUs shared with other work, "
        "so the times are those of a busy machine.",
        "",
        "| backend | orders | generating (s) | publish one month: wall (s) | publish: app CPU (s) "
        "| sub-orders in the month | figures | /insights built: p50 / p99 wall (ms) | built: p50 / p99 app CPU (ms) "
        "| shared copy: p50 / p99 wall (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in results.items():
        lines.append(f"| {name} | {count:,} | {row['generate']:.0f} | {row['publish']:.1f} | {row['publish_cpu']:.1f} "
                     f"| {row['paid']:,} | {row['figures']} | {row['p50']:.1f} / {row['p99']:.1f} "
                     f"| {row['cpu_p50']:.1f} / {row['cpu_p99']:.1f} "
                     f"| {row['shared_p50']:.1f} / {row['shared_p99']:.1f} |")
    lines += ["", "Targets: publish ≤ 60 s, page p99 ≤ 50 ms. The page is timed through the Flask test "
              f"client ({next(iter(results.values()))['requests']} requests of a published month, Chinese and "
              "English alternating): application time without a network or a WSGI server. \"Built\" turns the "
              "page cache off, so every request reads the figures and draws the charts (what the first visitor "
              "after a store waits for); \"shared copy\" is the default, where anonymous visitors share a copy "
              "until any month's figures are stored again. \"App CPU\" is the "
              "CPU time of the benchmark process alone (PostgreSQL's own work is not in it): on a shared, "
              "overloaded machine it says what the code costs, while wall time says what the load left of it."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--orders", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-insights-") as temp:
        folder = Path(temp)
        if not args.no_sqlite:
            results["SQLite"] = run_backend("SQLite", f"sqlite:///{folder / 'insights.sqlite3'}", folder / "sqlite",
                                            args.orders, args.requests)
        if not args.no_postgres:
            from sqlalchemy import create_engine

            from tests.support.postgres import PostgresCluster

            cluster = PostgresCluster().start()
            try:
                admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
                with admin.connect() as connection:
                    connection.exec_driver_sql("CREATE DATABASE bench_insights")
                admin.dispose()
                results["PostgreSQL"] = run_backend("PostgreSQL", cluster.url("bench_insights"), folder / "pg",
                                                    args.orders, args.requests)
            finally:
                cluster.stop()
    publish("Public index", report(results, args.orders, load), write=not args.no_write)


if __name__ == "__main__":
    main()
