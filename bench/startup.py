"""Measure what building the app costs: `create_app`, and the work it now leaves for later.

    .venv/bin/python bench/startup.py            # 30 apps
    .venv/bin/python bench/startup.py --apps 100 --no-write

Every test, command and gunicorn worker started without preload builds the app once.
`create_app` leaves two things for later (marketplace/core/routing.py, marketplace/api/spec.py):
writing each URL rule's `url_for` functions, done at a rule's first URL, and writing the
OpenAPI document, done at its first read. This builds N apps on an in-memory SQLite database
and times, per app: `create_app` as it is; then writing every rule's builders and the whole
API document at once, which is what building the app cost before they waited for a use.
Prints a Markdown table and writes the "App start-up" section of bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.insights import percentile  # noqa: E402
from bench.recording import machine, publish  # noqa: E402


def settings(folder: Path) -> dict:
    return {"TESTING": True, "SECRET_KEY": "bench-" * 6, "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PUBLIC_URL": "http://localhost", "INSTANCE_PATH": str(folder / "instance"),
            "UPLOAD_FOLDER": str(folder / "uploads"), "SEARCH_INDEX_DIR": str(folder / "search"),
            "MAIL_OUTBOX": str(folder / "outbox")}


def measure(apps: int, folder: Path) -> dict[str, list[float]]:
    from marketplace import create_app
    from marketplace.api.spec import api

    create_app(settings(folder))  # imports and first-use caches are not what is measured
    times: dict[str, list[float]] = {"create_app": [], "builders": [], "document": []}
    for number in range(apps):
        started = time.perf_counter()
        app = create_app(settings(folder))
        built = time.perf_counter()
        for rule in app.url_map.iter_rules():
            values = {name: 1 for name in rule.arguments}
            rule.build(values, append_unknown=False)  # writes the builder
            rule.build(values, append_unknown=True)
        written = time.perf_counter()
        api.spec.to_dict()
        documented = time.perf_counter()
        times["create_app"].append((built - started) * 1000)
        times["builders"].append((written - built) * 1000)
        times["document"].append((documented - written) * 1000)
        print(f"\rapps built: {number + 1}/{apps}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return times


def report(times: dict[str, list[float]], apps: int, load: str) -> str:
    eager = [sum(parts) for parts in zip(*times.values())]
    rows = [("`create_app` (as it is)", times["create_app"]),
            ("writing every rule's URL builders", times["builders"]),
            ("writing the API document", times["document"]),
            ("all three: the app built eagerly, as before", eager)]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"Measured {stamp} on {machine()}; load average {load} (other work shared the CPUs).",
             f"`.venv/bin/python bench/startup.py --apps {apps}`: {apps} apps on in-memory SQLite, "
             "after one warm-up build.", "",
             "| step, per app | median (ms) | p95 (ms) |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {statistics.median(values):.1f} | {percentile(values, .95):.1f} |" for name, values in rows]
    lines += ["", "The builders and the document are written when first used, so a process pays "
              "only for the URLs it builds and reads the document only if it serves it."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=30)
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="terroir-startup-") as folder:
        os.environ["TERROIR_INSTANCE_PATH"] = str(Path(folder) / "instance")
        times = measure(options.apps, Path(folder))
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    publish("App start-up", report(times, options.apps, load), write=not options.no_write)


if __name__ == "__main__":
    main()
