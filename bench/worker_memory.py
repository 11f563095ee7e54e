"""Measure what each gunicorn worker holds, with and without `preload_app` (gunicorn.conf.py).

    .venv/bin/python bench/worker_memory.py              # 500 listings, 2 workers
    .venv/bin/python bench/worker_memory.py -n 2000 --no-write

Builds the same throwaway instance as bench/pages.py (demo data scaled to N live listings,
SQLite, Whoosh index), then starts gunicorn twice with 2 sync workers: once as configured
(`preload_app = True`: the app, jieba's dictionary, pypinyin's tables and the templates are
loaded in the master and shared copy-on-write), once with the same hooks but
`preload_app = False` (each worker loads its own). Each worker then serves the home page,
product pages and searches in Chinese, pinyin and English until both have answered each
kind. Per worker it reads /proc/PID/smaps_rollup: RSS (what `ps` shows, counting shared
pages in full in every process), PSS (shared pages split between the processes sharing
them: the honest share of the machine's memory) and USS (pages only this worker holds).
Prints a Markdown table and writes the "Worker memory" section of bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import free_port, prepare, targets  # noqa: E402
from bench.processes import children_of, memory_of  # noqa: E402
from bench.recording import machine, write_section  # noqa: E402

WORKERS = 2
SEARCHES = ("/search?q=%E9%BE%99%E4%BA%95", "/search?q=longjing", "/search?q=wuchang+rice", "/search?q=tieguanyn")


class Gunicorn:
    def __init__(self, config: Path, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(config), "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--no-control-socket", "wsgi:app"], cwd=ROOT, env=env)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=60).read()
                self.start_seconds = time.monotonic() - started
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn with {config.name} did not start")

    def serve_every_kind(self, paths: dict[str, list[str]]) -> None:
        """Request each kind of page until every worker has answered it (each worker is a process)."""
        for kind in [paths["home"][:1], paths["product"][:20], paths["cooperative"][:5], list(SEARCHES)]:
            for _round in range(6 * WORKERS):
                for path in kind:
                    urllib.request.urlopen(self.url + path, timeout=60).read()

    def memory(self) -> dict:
        return {"master": memory_of(self.process.pid),
                "workers": [memory_of(pid) for pid in children_of(self.process.pid)]}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def config_without_preload(folder: Path) -> Path:
    """gunicorn.conf.py with its hooks, but each worker loading the app itself."""
    path = folder / "gunicorn-no-preload.conf.py"
    path.write_text((ROOT / "gunicorn.conf.py").read_text() + "\npreload_app = False\n")
    return path


def report(results: dict, listings: int) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"Measured {when} on {machine()}: {listings:,} live listings (SQLite, Whoosh), gunicorn with "
             f"{WORKERS} sync workers, after each worker served the home, product, cooperative and search "
             "pages (`.venv/bin/python bench/worker_memory.py`).", "",
             "| configuration | start (s) | worker RSS (MB) | worker PSS (MB) | worker USS (MB) | master PSS (MB) | all PSS (MB) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, (found, seconds) in results.items():
        workers = found["workers"]

        def mean(key):
            return sum(worker[key] for worker in workers) / len(workers)

        total = found["master"]["pss"] + sum(worker["pss"] for worker in workers)
        lines.append(f"| {label} | {seconds:.1f} | {mean('rss'):.0f} | {mean('pss'):.0f} | {mean('uss'):.0f} | "
                     f"{found['master']['pss']:.0f} | {total:.0f} |")
    lines += ["", "RSS counts every shared page in full in each process, so it hardly moves with "
              "preloading; PSS splits shared pages between the processes that share them and USS "
              "counts only a worker's own pages: those are what a second worker really costs."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="live listings (default 500)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="terroir-memory-bench-"))
    try:
        print("Preparing the instance …", flush=True)
        database = prepare(folder, args.n)
        paths = targets(database)
        # Every worker builds its own pages (no shared copies), so each loads what searches need.
        env = {**os.environ, "PUBLIC_PAGE_CACHE_SECONDS": "0"}
        results = {}
        for label, config in (("preload (default)", ROOT / "gunicorn.conf.py"),
                              ("no preload", config_without_preload(folder))):
            print(f"{label} …", flush=True)
            server = Gunicorn(config, env)
            try:
                server.serve_every_kind(paths)
                results[label] = (server.memory(), server.start_seconds)
            finally:
                server.stop()
        text = report(results, args.n)
        print("\n" + text)
        if not args.no_write:
            write_section("Worker memory", text)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
