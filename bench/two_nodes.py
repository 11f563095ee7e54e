"""The production layout under load: two app nodes behind nginx on PostgreSQL and Redis, against one node.

    .venv/bin/python bench/pages.py --layout two-nodes          # 2,000 listings, 15 s per page
    .venv/bin/python bench/pages.py --layout two-nodes -n 500 -d 6 --no-write

Starts a throwaway PostgreSQL cluster and Redis on free 127.0.0.1 ports, loads the same
data as the one-node run (`flask demo load` scaled to N listings, plus 200 package codes
for the verify page), and serves it with two gunicorn nodes (2 sync workers each,
SEARCH_BACKEND=postgres, the default page cache in Redis, one SECRET_KEY) and nginx (Debian's
package; its configuration is generated in the temp folder: an upstream with both nodes,
keep-alive to them, the proxy headers of the README). wrk loads the same pages in turn
through nginx to both nodes, through nginx to node A alone, and on node A directly; the
"Two nodes behind nginx" section of bench/RESULTS.md records requests/s, p50 and p99.

nginx is needed for this benchmark only (`apt-get install -y --no-install-recommends nginx`);
the tests never use it.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from bench.pages import WORKERS, Server, combine, prepare, targets, wrk
from bench.processes import answers_soon
from bench.recording import machine, write_section

#: The aim of issue 18: two nodes serve this many times one node's requests/s, each node on its own CPUs.
AIM = 1.6
LAYOUTS = ("nginx → 2 nodes", "nginx → node A", "node A direct")
NGINX_CONF = """\
worker_processes 1;
{user}pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    proxy_buffers 16 64k;
    proxy_buffer_size 64k;
    upstream terroir {{ {both} keepalive 32; }}
    upstream terroir_a {{ {one} keepalive 32; }}
    server {{ listen 127.0.0.1:{port_both}; location / {{ proxy_pass http://terroir; {proxy} }} }}
    server {{ listen 127.0.0.1:{port_one}; location / {{ proxy_pass http://terroir_a; {proxy} }} }}
}}
"""
#: Kept with the figures: what they can and cannot say when every process shares the same CPUs.
NOTES = """\
Every process of this layout (nginx, both nodes, PostgreSQL, Redis and wrk itself) runs on
the same machine. "nginx → node A" against "node A direct" is the cost of the proxy hop.
"nginx → 2 nodes" against "node A direct" is the scaling the 1.6× aim asks for, which needs
each node on CPUs of its own: when the machine has fewer CPUs than both nodes' workers can
keep busy, a second node only adds processes that take turns on the same CPUs, each with
its own cold per-process caches, and the ratio stays at or below 1."""
PROXY = ("proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host $host; "
         "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; "
         "proxy_set_header X-Forwarded-Proto $scheme;")


class Nginx:
    """nginx in the foreground, from a configuration written into `folder`."""

    def __init__(self, folder: Path, node_ports: list[int]):
        from tests.support.postgres import free_port

        self.binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(self.binary).exists():
            raise SystemExit("nginx is not installed (Debian: apt-get install -y --no-install-recommends nginx)")
        folder.mkdir(parents=True, exist_ok=True)
        self.port_both, self.port_one = free_port(), free_port()
        servers = [f"server 127.0.0.1:{port};" for port in node_ports]
        config = folder / "nginx.conf"
        config.write_text(NGINX_CONF.format(
            folder=folder, user="user root;\n" if os.geteuid() == 0 else "", both=" ".join(servers),
            one=servers[0], port_both=self.port_both, port_one=self.port_one, proxy=PROXY))
        self.process = subprocess.Popen([self.binary, "-p", str(folder), "-c", str(config), "-e",
                                         str(folder / "error.log"), "-g", "daemon off;"], start_new_session=True)
        self.url_both = f"http://127.0.0.1:{self.port_both}"
        self.url_one = f"http://127.0.0.1:{self.port_one}"
        if not answers_soon(self.url_both + "/", self.process, 60):
            self.stop()
            raise SystemExit(f"nginx did not start:\n{(folder / 'error.log').read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def package_codes(count: int) -> list[str]:
    """Issue package codes of the demo's certified batches in the prepared database."""
    from marketplace import create_app
    from marketplace.extensions import db
    from verify_page import package_codes as issue  # bench/ is on the path when run as bench/pages.py

    app = create_app()
    with app.app_context():
        codes = issue(app, count)
        db.session.remove()
        db.engine.dispose()
    return codes


def run(args) -> None:
    from tests.support.postgres import PostgresCluster
    from tests.support.redis_server import RedisServer

    folder = Path(tempfile.mkdtemp(prefix="terroir-two-nodes-bench-"))
    cluster, redis, servers, nginx = None, None, [], None
    try:
        cluster = PostgresCluster().start()
        database_url = cluster.new_database("bench")
        redis = RedisServer().start()
        os.environ.update(SEARCH_BACKEND="postgres", REDIS_URL=redis.url, RATELIMIT_STORAGE_URI=redis.url)
        print("Preparing the instance on PostgreSQL …", flush=True)
        prepare(folder, args.n, database_url)
        paths = {**targets(database_url), "verify": [f"/verify/{code}" for code in package_codes(200)]}
        env = {**os.environ, "SECRET_KEY": secrets.token_hex(32), "TRUSTED_PROXY_COUNT": "1",
               "VERIFY_RATE_LIMIT": "100000000 per minute", "VERIFY_CLIENTS_PER_ADDRESS": "1000000000"}
        servers = [Server("wsgi:app", env), Server("wsgi:app", env)]
        nginx = Nginx(folder / "nginx", [server.port for server in servers])
        urls = dict(zip(LAYOUTS, (nginx.url_both, nginx.url_one, servers[0].url)))
        rounds: dict[tuple[str, str], list] = {}
        seconds = max(1, args.d // args.rounds)
        for number in range(1, args.rounds + 1):
            for page, page_paths in paths.items():
                for layout, url in urls.items():
                    print(f"round {number}/{args.rounds}: {page} via {layout} …", flush=True)
                    rounds.setdefault((page, layout), []).append(wrk(url, page_paths, seconds, args.c, folder))
        results = {key: combine(found) for key, found in rounds.items()}
    finally:
        for process in [nginx, *servers]:
            if process is not None:
                process.stop()
        if redis is not None:
            redis.remove()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    text = report(results, list(paths), args)
    print("\n" + text)
    if not args.no_write:
        write_section("Two nodes behind nginx", text)


def report(results: dict, pages: list[str], args) -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"{datetime.now().strftime('%Y-%m-%d %H:%M')} · {machine()} · load average at the end {load}",
        "",
        f"Two gunicorn nodes ({WORKERS} sync workers each) on one PostgreSQL and one Redis, nginx "
        f"(1 worker process, keep-alive upstream) in front, all on this machine's 127.0.0.1; default "
        f"configuration (SEARCH_BACKEND=postgres, anonymous pages cached in Redis under the trust "
        f"version); {args.n:,} live listings; wrk -t2 -c{args.c}, {args.d} s per page and layout in "
        f"{args.rounds} rounds taken in turn. Verify: 200 package codes, the same phone reloading.",
        "",
        "| page | " + " | ".join(f"{layout} req/s (p50 / p99 ms)" for layout in LAYOUTS)
        + " | 2 nodes ÷ 1 node direct | errors |",
        "| --- | " + " | ".join("---:" for _ in LAYOUTS) + " | ---: | ---: |",
    ]
    for page in pages:
        row = [results[(page, layout)] for layout in LAYOUTS]
        ratio = row[0]["rps"] / row[2]["rps"] if row[2]["rps"] else 0
        cells = " | ".join(f"{r['rps']:.0f} ({r['p50']:.1f} / {r['p99']:.1f})" for r in row)
        lines.append(f"| {page} | {cells} | {ratio:.2f}× (aim ≥ {AIM}×) | {sum(r['errors'] for r in row)} |")
    lines += ["", "Command: `.venv/bin/python bench/pages.py --layout two-nodes` (see bench/two_nodes.py).",
              "", NOTES]
    return "\n".join(lines)
