"""Protected-name matching: how long the catalogue takes to check 10,000 listing titles.

The check runs on every listing save and for every listing the search indexer writes, so
its cost per title matters. The titles are made up the way farm shops write them (Chinese
and English, most using no protected name, some using one, some in traditional characters
or pinyin), from a fixed seed so that two runs time the same work. Times are the process's
CPU time, which other work on a shared machine disturbs less than the wall clock. Prints
a Markdown table and writes it to bench/RESULTS.md, section "Protected names".

    .venv/bin/python bench/protected_names.py [--titles 10000] [--rounds 5] [--no-write]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.recording import machine, write_section  # noqa: E402
from gi_standards import load_catalogue  # noqa: E402

PRODUCTS = ["高山绿茶", "土鸡蛋", "农家大米", "红心猕猴桃", "散养土猪肉", "野生蜂蜜", "小米", "核桃",
            "Free-range eggs", "Mountain honey", "Green tea from Yunnan", "Organic millet",
            "龙井茶", "五常大米", "西湖龍井", "Wuchang rice", "Longjing green tea", "宁夏枸杞",
            "Yantai apples", "Wuchang Da Mi", "金华火腿", "吉林龙井市大米", "龙井虾仁", "安溪铁观音"]
PREFIXES = ["", "", "正宗", "新货", "农家", "2024年", "Premium ", "Fresh ", "产地直发 ", "【包邮】"]
SUFFIXES = ["", " 500g", " 5kg装", " 礼盒", ", 2 kg", " 250g×2", " 一级", " — harvested this spring"]


def titles(count: int, seed: int = 20261130) -> list[str]:
    """`count` listing titles, the same ones for the same seed."""
    pick = random.Random(seed).choice
    return [f"{pick(PREFIXES)}{pick(PRODUCTS)}{pick(SUFFIXES)}" for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    catalogue = load_catalogue()
    texts = titles(args.titles)
    started = time.process_time()
    catalogue.find_protected_names("warm-up: builds the name index once")
    build = time.process_time() - started
    timings, found = [], 0
    for _ in range(args.rounds):
        started = time.process_time()
        found = sum(1 for text in texts if catalogue.find_protected_names(text))
        timings.append(time.process_time() - started)
    best, median = min(timings), statistics.median(timings)
    table = "\n".join([
        f"Machine: {machine()}. {args.titles:,} titles, CPU time, best and median of {args.rounds} rounds; "
        f"{found:,} titles use a protected name.",
        "",
        "| index build | 10,000 titles (best) | (median) | per title |",
        "| ---: | ---: | ---: | ---: |",
        f"| {build * 1000:.0f} ms | {best * 1000:.0f} ms | {median * 1000:.0f} ms "
        f"| {best / args.titles * 1e6:.1f} µs |",
    ])
    print(table)
    if not args.no_write:
        write_section("Protected names", table)


if __name__ == "__main__":
    main()
