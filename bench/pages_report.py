"""The one-node page benchmark's results, as the "Pages" section of bench/RESULTS.md prints them."""
from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from urllib.parse import unquote_plus

from bench.pages import AIMS, CONFIGURATIONS, PAGES, ROOT, SEARCH_QUERIES, WORKER_AIM_MB, WORKERS
from bench.recording import machine
from bench.revocation import summary

#: What the figures can and cannot say, kept with them.
NOTES = """\
Where the time goes. The ceiling does one sqlite3 query and renders 20 rows, with no
session. A page the shop builds does what the ceiling does not: Flask-Login and the
session, Babel, the site layout, 4 to 9 SQLAlchemy queries (the GI badge's join over
certificates and authorizations among them) and 12 to 24 listing cards; a search also
segments the query with jieba and counts the facets over every match: the "no cache"
rows. The default configuration answers an anonymous visitor from a copy filed under the
trust version (marketplace/pagecache/); a hit still costs the session and Flask-Login,
one SQLite query for the version (no Redis on one node), the copy's lookup and its CSRF
token: the "default, no revocations" rows. Each worker keeps its own copies (in-process,
no `REDIS_URL`, at most PUBLIC_PAGE_CACHE_ENTRIES each), so a page is built once per
worker per trust version. Every revocation bumps that one version, so while the revoker
runs every copy of every page is dropped in both workers and rebuilt on its next request:
a page with many addresses (200 product pages) is rebuilt more often than reused, one
with few (the home page, 10 searches) refills at once. The in-process copies also count
in each worker's own memory (USS), which is why the default workers hold more than the
"no cache" ones."""


def commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (" with uncommitted changes" if git("status", "--porcelain") else "")


def _load(values) -> str:
    return ", ".join(f"{value:.1f}" for value in values)


def report(results: dict, memory: dict, tally, args, load_at_start, lacking) -> str:
    ceiling = results["ceiling"]["rps"]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{when} · {machine()} · commit {commit()} · load average at the start {_load(load_at_start)}, "
        f"at the end {_load(os.getloadavg())}",
        "",
        f"The default configuration as production runs it: gunicorn with gunicorn.conf.py (`preload_app`, "
        f"`post_fork`), {WORKERS} sync workers, SQLite (WAL), the page cache on with its defaults "
        f"(in-process copies keyed on the trust version, PUBLIC_PAGE_CACHE_SECONDS=600); \"no cache\" is the same "
        f"with PUBLIC_PAGE_CACHE_SECONDS=0. \"default\" rows are measured while one GI badge is revoked "
        f"at most every second (the revocation check below, with the rate reached), \"default, no revocations\" on the same server with the "
        f"revoker paused. wrk -t2 -c{args.c}, {args.d} s per page in {args.rounds} rounds "
        f"taken in turn with the ceiling (p50: median of the rounds, p99: worst round), 127.0.0.1; "
        f"{args.n:,} live listings (`flask demo load` scaled up); anonymous visitors, Chinese. Product: 200 "
        f"listings at random; cooperative: every cooperative's pages 1–3; search: {len(SEARCH_QUERIES)} queries "
        f"({'; '.join(unquote_plus(query) for query in SEARCH_QUERIES)}).",
        "",
        "| page | configuration | requests/s | p50 ms | p99 ms | share of ceiling | aim | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| ceiling | bare Flask, 20 rows | {ceiling:.0f} | {results['ceiling']['p50']:.1f} | "
        f"{results['ceiling']['p99']:.1f} | 100% | — | {results['ceiling']['errors']} |",
    ]
    for label, (server, _revoking) in CONFIGURATIONS.items():
        for page in PAGES:
            row = results[f"{page} ({label})"]
            share = row["rps"] / ceiling if ceiling else 0
            judged = server == "default"  # the aims are for the default configuration
            verdict = (" ✓" if share >= AIMS[page] else " ✗") if judged else ""
            aim = f"≥ {AIMS[page]:.0%}" if judged else "(comparison)"
            lines.append(f"| {page} | {label} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
                         f"{share:.0%}{verdict} | {aim} | {row['errors']} |")
    errors = sum(row["errors"] for row in results.values())
    filled = ", ".join(f"{name}: {count}" for name, count in sorted(lacking.items()) if count)
    lines += ["", "Before each \"default, no revocations\" row, every one of its pages was loaded until each "
              "worker answered it from its copy (at most 8 loads a page)" + (
                  f"; pages some worker still held no copy of: {filled}." if filled else "."),
              "", f"Errors (non-2xx/3xx answers) over every row: {errors}{' ✓' if errors == 0 else ' ✗'} (aim 0).",
              "", "Memory of each worker after the searches (MB, /proc/PID/smaps_rollup):", "",
              "| configuration | worker | RSS | PSS | USS | aim ≤ %d MB, compared with PSS |" % WORKER_AIM_MB,
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for label, workers in memory.items():
        for number, found in enumerate(workers, 1):
            verdict = "✓" if found["pss"] <= WORKER_AIM_MB else "✗"
            lines.append(f"| {label} | {number} | {found['rss']:.0f} | {found['pss']:.0f} | {found['uss']:.0f} | "
                         f"{verdict} |")
    lines += ["", "PSS is compared: it splits the pages the workers share with the master since `preload_app` "
              "(jieba's and pypinyin's dictionaries, the templates, the catalogue) between the processes that "
              "share them. RSS counts those shared pages in full in every worker, so it stays far above the "
              "aim whatever a second worker costs (see \"Worker memory\").",
              "", "The revocation check (bench/revocation.py): while the default configuration's pages are "
              "loaded, the county official revokes one GI certificate a second through `/official/certificates/"
              "<id>/revoke` (signed in, CSRF token), after that listing's product page and a search page listing "
              "it were loaded until each worker answered from its copy showing the badge; as soon as the revoking "
              "request returns, both pages are loaded again anonymously and the listing's `data-badge=\"certified\"` "
              "marker is looked for.", ""]
    lines += summary(tally, WORKERS)
    lines += ["", "Command: `.venv/bin/python bench/pages.py` (see its docstring for options).", "", NOTES]
    return "\n".join(lines)
