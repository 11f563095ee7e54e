"""The servers a benchmark starts: when they answer, and what their workers hold in memory (/proc, Linux)."""
from __future__ import annotations

import re
import subprocess
import time
import urllib.request
from pathlib import Path


def memory_of(pid: int) -> dict[str, float]:
    """RSS, PSS and USS of one process, in MB (from /proc/PID/smaps_rollup).

    RSS counts every shared page in full in each process; PSS splits shared pages between
    the processes sharing them; USS counts only the pages this process alone holds.
    """
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        found = re.match(r"^(\w+):\s+(\d+) kB", line)
        if found:
            fields[found.group(1)] = int(found.group(2)) / 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"],
            "uss": fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)}


def children_of(pid: int) -> list[int]:
    """The process ids whose parent is `pid` (a gunicorn master's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return sorted(found)


def answers_soon(url: str, process: subprocess.Popen, seconds: float) -> bool:
    """Wait until `url` answers, at most `seconds`; False if it never did or the process ended."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=30).read()
            return True
        except OSError:
            time.sleep(0.2)
    return False
