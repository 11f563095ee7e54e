"""Do concurrent watched writes queue on the trust-version counter? Measured on PostgreSQL.

    .venv/bin/python bench/trust_counter.py [--seconds 8] [--hold-ms 5] [--no-write]

Every write to a watched table (a checkout's stock reservation included) raises a
`trust_version` row in its own transaction, and keeps that row locked until it commits. A
checkout reserves stock early and then writes its order, lines, audit and mail rows, so it
holds its counter row for most of its transaction: with one row, checkouts of different
listings ran one at a time. This bench isolates that: P processes, each
with the app on one throwaway PostgreSQL cluster, repeat a transaction that reserves one
unit of its own listing (as checkout does: no two processes touch the same listing) and
then spends `--hold-ms` in the database (pg_sleep, standing for the order's inserts; it uses
no CPU, so the two cores of this machine do not cap the result). It runs with the counter
on one row (as it was), split in rows (as it is) and with the trust listeners removed, for
P = 1, 4 and 8, and reports transactions/s. Writes the "Trust counter" section of bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.recording import machine, write_section  # noqa: E402

PROCESSES = (1, 4, 8)


def build(url: str, instance: Path) -> list[int]:
    """The checkout bench's shop (schema from the models); the listings with plenty of stock."""
    from bench.checkout import seed

    stock = seed(url, instance, buyers=0)
    return sorted(listing for listing, units in stock.items() if units > 1000)


def reserve_repeatedly(url: str, listing_id: int, seconds: float, hold_ms: int, mode: str, start, out) -> None:
    """One process: reserve a unit of its listing, hold the transaction, commit; count commits."""
    from sqlalchemy import event, update

    from marketplace import create_app
    from marketplace.catalog.models import Listing
    from marketplace.core.database import write_transaction
    from marketplace.extensions import db
    from marketplace.pagecache import trust

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    if mode == "single row":
        trust.SHARDS = 1  # the counter as it was: one row every watched write queues on
    if mode == "off":
        from flask_sqlalchemy.session import Session

        for name, listener in (("before_flush", trust._before_flush), ("do_orm_execute", trust._on_orm_execute),
                               ("after_commit", trust._after_commit), ("after_rollback", trust._forget)):
            event.remove(Session, name, listener)
    with app.app_context():
        start.wait()
        deadline, done = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            with write_transaction():
                db.session.execute(update(Listing).where(Listing.id == listing_id, Listing.stock > 0)
                                   .values(stock=Listing.stock - 1))
                db.session.execute(db.text("SELECT pg_sleep(:s)"), {"s": hold_ms / 1000})
            done += 1
        out.put(done)


def run(url: str, ids: list[int], processes: int, seconds: float, hold_ms: int, mode: str) -> float:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:  # fold the rows into one: each mode makes the rows it uses
        connection.exec_driver_sql("UPDATE trust_version SET version = (SELECT sum(version) FROM trust_version) "
                                   "WHERE id = 1")
        connection.exec_driver_sql("DELETE FROM trust_version WHERE id > 1")
    engine.dispose()
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    workers = [context.Process(target=reserve_repeatedly, args=(url, ids[n], seconds, hold_ms, mode, start, out))
               for n in range(processes)]
    for worker in workers:
        worker.start()
    time.sleep(8)  # let every process build its app before the clock starts
    start.set()
    total = sum(out.get(timeout=seconds + 120) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    return total / seconds


def verdict(results: dict, ceiling: float) -> str:
    """Say what the figures show (they are read, not assumed)."""
    most = max(results)
    counted, uncounted = results[most]
    if counted < 1.5 * results[1][0] and uncounted > 2 * counted:
        return (f"With the counter, transactions on different listings run one at a time: the rate stays "
                f"near the {ceiling:.0f}/s that one transaction at a time allows, whatever the number of "
                f"processes, while without it {most} processes reach {uncounted / counted:.1f}× as many. A "
                "checkout holds the counter from its stock reservation to its commit, so on PostgreSQL "
                "checkouts are serialised by it in the same way. Not fixed yet (see README, Cached public pages).")
    return (f"No queue on the counter shows: with {most} processes, writes that raise it keep "
            f"{counted / uncounted:.0%} of the rate reached without it.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--hold-ms", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    from tests.support.postgres import PostgresCluster

    os.environ.setdefault("TERROIR_INSTANCE_PATH", tempfile.mkdtemp(prefix="terroir-trust-bench-"))
    os.environ.setdefault("PUBLIC_URL", "http://127.0.0.1")
    cluster = PostgresCluster().start()
    try:
        url = cluster.url()
        ids = build(url, Path(os.environ["TERROIR_INSTANCE_PATH"]))
        rows, results = [], {}
        for processes in PROCESSES:
            single, counted, uncounted = (run(url, ids, processes, args.seconds, args.hold_ms, mode)
                                          for mode in ("single row", "split", "off"))
            print(f"{processes} processes: {single:.0f}/s on one row, {counted:.0f}/s split, "
                  f"{uncounted:.0f}/s without", flush=True)
            results[processes] = (counted, uncounted)
            rows.append(f"| {processes} | {single:.0f} | {counted:.0f} | {uncounted:.0f} | {counted / uncounted:.0%} |")
    finally:
        cluster.stop()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    ceiling = 1000 / args.hold_ms
    text = "\n".join([
        f"Measured {when} on {machine()}, PostgreSQL 15 on 127.0.0.1 (`.venv/bin/python bench/trust_counter.py`): "
        f"each transaction reserves a unit of its own listing, then holds for {args.hold_ms} ms in the database.",
        "", "| processes | transactions/s, one counter row (before) | counter split in rows (now) | "
        "without the trust listeners | split / without |",
        "| ---: | ---: | ---: | ---: | ---: |", *rows, "",
        verdict(results, ceiling)])
    print("\n" + text)
    if not args.no_write:
        write_section("Trust counter", text)


if __name__ == "__main__":
    main()
