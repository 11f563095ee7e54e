"""What a gunicorn master's workers hold in memory, read from /proc (Linux)."""
from __future__ import annotations

import re
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
