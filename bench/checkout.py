"""Checkout under load: shoppers on concurrent connections placing orders through the HTTP app.

Serves the app with gunicorn (4 workers) on a fresh database, SQLite and then PostgreSQL
(a throwaway cluster, as the tests start one), and has 16 connections, each a signed-in
shopper, add a product to the cart and place an order (cash on delivery: bank transfer needs
a payee account the bench cooperatives do not have) over and over for 30 seconds. Some
products have little stock, so baskets compete for the last units.
Records orders/s, the p50 and p99 latency of placing an order, the sold-out answers, and
the oversold count (units sold beyond the stock a listing had), which must be 0. Prints a
Markdown table and writes it to bench/RESULTS.md, section "Checkout".

    .venv/bin/python bench/checkout.py [--seconds 30] [--connections 16] [--workers 4]
                                       [--backend sqlite|postgresql|both] [--no-write]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.recording import machine, write_section  # noqa: E402

PASSWORD = "bench-password-2026"
ADDRESS = {"recipient": "周静", "mobile": "13812345678", "province": "上海市", "city": "上海市",
           "county": "徐汇区", "street": "漕溪北路 1 号", "payment_method": "cash_on_delivery"}
#: (how many listings, stock each): plenty of stock, and a few products that sell out.
STOCK_PLAN = [(12, 100_000), (4, 60)]
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(database_url: str, instance: Path, buyers: int) -> dict[int, int]:
    """Build the schema from the models and add cooperatives, listings and shoppers."""
    env = {"DATABASE_URL": database_url, "TERROIR_INSTANCE_PATH": str(instance), "SECRET_KEY": "bench",
           "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1")}
    os.environ.update(env)
    from marketplace import create_app
    from marketplace.accounts.models import User
    from marketplace.catalog.models import Listing, ListingStatus
    from marketplace.cooperatives.models import Cooperative, CooperativeStatus, County, Membership, MemberRole
    from marketplace.extensions import db
    from stdnum.cn import uscc

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    stock: dict[int, int] = {}
    with app.app_context():
        db.create_all()
        db.session.add(County(code="330106", name_zh="西湖区", name_en="Xihu", city_zh="杭州市", city_en="Hangzhou",
                              province_zh="浙江省", province_en="Zhejiang"))
        owner = User(email="bench-seller@example.com", display_name="Seller", session_token=secrets.token_hex(8))
        owner.set_password(PASSWORD)
        cooperatives = []
        for index in range(4):
            body = f"93330106MA{index:07d}"[:17]
            cooperative = Cooperative(name=f"合作社 {index}", credit_code=body + uscc.calc_check_digit(body),
                                      county_code="330106", address="村", phone="13800138000",
                                      status=CooperativeStatus.VERIFIED)
            cooperative.memberships.append(Membership(user=owner, role=MemberRole.OWNER))
            cooperatives.append(cooperative)
        db.session.add_all(cooperatives)
        listings = []
        for count, units in STOCK_PLAN:
            for _ in range(count):
                listings.append(Listing(cooperative=cooperatives[len(listings) % 4], title=f"产品 {len(listings)}",
                                        category="tea", price_minor=1000 + len(listings), unit="500 g",
                                        weight_grams=500, stock=units, status=ListingStatus.ACTIVE))
        db.session.add_all(listings)
        for index in range(buyers):
            user = User(email=f"buyer{index}@example.com", display_name=f"Buyer {index}",
                        session_token=secrets.token_hex(8))
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
        stock = {listing.id: listing.stock for listing in listings}
        db.engine.dispose()
    return stock


def audit(database_url: str, initial: dict[int, int]) -> dict:
    """Compare what was sold with the stock each listing had."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        sold = dict(connection.execute(sa.text(
            "SELECT l.listing_id, SUM(l.quantity) FROM order_lines l JOIN sub_orders s ON s.id = l.sub_order_id "
            "WHERE s.status <> 'cancelled' GROUP BY l.listing_id")).all())
        now = dict(connection.execute(sa.text("SELECT id, stock FROM listings")).all())
        orders = connection.execute(sa.text("SELECT COUNT(*) FROM orders")).scalar()
    engine.dispose()
    oversold = sum(max(0, int(sold.get(i, 0)) - units) for i, units in initial.items())
    mismatched = sum(1 for i, units in initial.items() if units - now[i] != int(sold.get(i, 0)))
    negative = sum(1 for value in now.values() if value < 0)
    return {"oversold": oversold, "stock_mismatches": mismatched, "negative_stock": negative, "orders": orders,
            "sold_out_listings": sum(1 for value in now.values() if value == 0)}


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    placed: int = 0
    sold_out: int = 0
    errors: int = 0
    #: The first few unexpected answers (step, status, start of the page), printed after the run.
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, step: str, response) -> None:
        self.errors += 1
        if len(self.samples) < 3:
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
            self.samples.append(f"{step} answered {response.status_code}: {text[:400]}")


def shopper(base: str, email: str, listing_ids: list[int], hot_ids: list[int], deadline_box: list,
            tally: Tally, ready: threading.Barrier) -> None:
    import requests

    session = requests.Session()
    token = CSRF.search(session.get(f"{base}/login", timeout=30).text).group(1)
    response = session.post(f"{base}/login", data={"email": email, "password": PASSWORD, "csrf_token": token},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:300]
    token = CSRF.search(session.get(f"{base}/cart", timeout=30).text).group(1)
    rng = random.Random(email)
    ready.wait()
    while time.monotonic() < deadline_box[0]:
        listing = rng.choice(hot_ids) if rng.random() < 0.3 else rng.choice(listing_ids)
        # Redirects are followed as a browser would (which also reads the flashed messages).
        added = session.post(f"{base}/cart/add", data={"listing_id": listing, "quantity": rng.randint(1, 3),
                                                       "csrf_token": token}, timeout=60)
        if added.status_code != 200:
            with tally.lock:
                if added.status_code == 409:
                    tally.sold_out += 1
                else:
                    tally.error("add to cart", added)
            continue
        started = time.perf_counter()
        placed = session.post(f"{base}/checkout", data={**ADDRESS, "csrf_token": token}, allow_redirects=False,
                              timeout=60)
        elapsed = time.perf_counter() - started
        with tally.lock:
            if placed.status_code == 302 and "/orders/" in placed.headers.get("Location", ""):
                tally.placed += 1
                tally.latencies.append(elapsed)
                session.get(base + placed.headers["Location"], timeout=60)
            elif placed.status_code == 409:
                tally.sold_out += 1
                # The cart keeps the line that could not be bought: empty it for the next round.
                session.post(f"{base}/cart/items/{listing}/remove", data={"csrf_token": token}, timeout=60)
            else:
                tally.error("checkout", placed)


def run_backend(backend: str, args) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"terroir-bench-{backend}-"))
    cluster = None
    try:
        if backend == "postgresql":
            from tests.support.postgres import PostgresCluster

            cluster = PostgresCluster().start()
            import sqlalchemy as sa

            admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql("CREATE DATABASE bench")
            admin.dispose()
            database_url = cluster.url("bench")
        else:
            database_url = f"sqlite:///{work / 'bench.sqlite3'}"
        initial = seed(database_url, work / "instance", args.connections)
        port = free_port()
        env = dict(os.environ, DATABASE_URL=database_url, TERROIR_INSTANCE_PATH=str(work / "instance"),
                   SECRET_KEY="bench-secret", RATELIMIT_ENABLED="false", MAIL_OUTBOX=str(work / "outbox"))
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
             "--timeout", "120", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(base)
            ids = sorted(initial)
            plenty = [i for i in ids if initial[i] > 1000]
            hot = [i for i in ids if initial[i] <= 1000]
            tally = Tally()
            ready = threading.Barrier(args.connections + 1)
            deadline = [float("inf")]
            threads = [threading.Thread(target=shopper, args=(base, f"buyer{n}@example.com", plenty, hot, deadline,
                                                              tally, ready), daemon=True)
                       for n in range(args.connections)]
            for thread in threads:
                thread.start()
            ready.wait()
            started = time.monotonic()
            deadline[0] = started + args.seconds
            for thread in threads:
                thread.join()
            duration = time.monotonic() - started
            for sample in tally.samples:
                print(f"{backend}: {sample}", flush=True)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        checked = audit(database_url, initial)
        latencies = sorted(tally.latencies)
        return {
            "backend": "SQLite" if backend == "sqlite" else "PostgreSQL",
            "orders": tally.placed, "orders_per_s": tally.placed / duration,
            "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else float("nan"),
            "sold_out": tally.sold_out, "errors": tally.errors, **checked,
        }
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


def _wait_for(base: str) -> None:
    import requests

    deadline = time.monotonic() + 300  # the master preloads the app before any worker answers
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/cart", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")



def table(results: list[dict], args) -> str:
    lines = [
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}.",
        f"`.venv/bin/python bench/checkout.py`: gunicorn with {args.workers} sync workers, {args.connections} "
        f"concurrent connections (each a signed-in shopper: add to cart, see the cart, place the order with "
        f"cash on delivery, see the order page) "
        f"for {args.seconds} s per backend. {sum(c for c, _ in STOCK_PLAN)} listings, "
        f"{STOCK_PLAN[-1][0]} of them with only {STOCK_PLAN[-1][1]} units that about 30 % of baskets compete "
        f"for; latency is that of the checkout POST that places the order.",
        "",
        "| backend | orders | orders/s | p50 (ms) | p99 (ms) | sold-out answers | errors | oversold | "
        "stock mismatches |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(f"| {r['backend']} | {r['orders']} | {r['orders_per_s']:.1f} | {r['p50_ms']:.0f} | "
                     f"{r['p99_ms']:.0f} | {r['sold_out']} | {r['errors']} | {r['oversold']} | "
                     f"{r['stock_mismatches']} |")
    lines += ["", "Oversold = units sold beyond a listing's stock (must be 0); stock mismatches = listings "
              "whose stock change differs from the units in live orders (must be 0). Sold-out answers are "
              "the 409 pages shoppers got once the scarce products ran out. The load generator, gunicorn and "
              "PostgreSQL share the same CPUs, so the figures are a floor for the app, and they vary by about "
              "a third between runs on a shared machine."]
    return "\n".join(lines)



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = [run_backend(backend, args) for backend in backends]
    text = table(results, args)
    print(text)
    if not args.no_write:
        write_section("Checkout", text)
    return 0 if all(r["oversold"] == 0 and r["stock_mismatches"] == 0 and r["negative_stock"] == 0
                    for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
