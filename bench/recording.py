"""What every benchmark records beside its figures: the machine, and its section of RESULTS.md."""
from __future__ import annotations

import os
import platform
import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    """CPU count and model, memory and Python version, in one line."""
    model, ram = "unknown CPU", "unknown RAM"
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration, AttributeError):
        pass
    return f"{os.cpu_count()} CPUs ({model}), {ram}, Python {platform.python_version()}"


def write_section(title: str, text: str) -> None:
    """Replace (or add) the "## <title>" section of bench/RESULTS.md, leaving the others alone."""
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    section = f"## {title}\n\n{text.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        current = pattern.sub(lambda _match: section + "\n", current).rstrip() + "\n"
    else:
        current = current.rstrip() + "\n\n" + section
    RESULTS.write_text(current)


def publish(title: str, text: str, write: bool) -> None:
    """Print a benchmark's report and, unless told not to, record it as its RESULTS.md section."""
    print(text)
    if write:
        write_section(title, text)
