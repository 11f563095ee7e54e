"""What matching costs a process: the big dictionaries load only for texts that need them.

pypinyin (about 55 MB) and jieba (about 75 MB) are loaded by the first text that holds a
run of Latin letters or an exclusion; a page worker checking Chinese titles with weights
and prices ("250g", "5kg") must stay without them. Each case runs in a fresh interpreter,
since the test process itself has loaded everything long before.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from gi_standards import load_catalogue
catalogue = load_catalogue()
found = [[m.slug for m in catalogue.find_protected_names(text)] for text in json.loads(sys.argv[1])]
print(json.dumps({"found": found, "pypinyin": "pypinyin" in sys.modules,
                  "jieba": "jieba" in sys.modules}))
"""


def run_fresh(texts: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(texts)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_chinese_titles_with_weights_load_neither_dictionary():
    result = run_fresh(["西湖龍井 明前 250g", "五常大米 5kg装", "农家土鸡蛋 30枚"])
    assert result["found"] == [["longjing-tea"], ["wuchang-rice"], []]
    assert not result["pypinyin"] and not result["jieba"]


@pytest.mark.parametrize("text, loaded, slugs", [
    ("Wuchang Da Mi 5kg",   "pypinyin", ["wuchang-rice"]),
    ("吉林龙井市大米",       "jieba",    []),
])
def test_a_dictionary_loads_when_a_text_needs_it(text, loaded, slugs):
    result = run_fresh([text])
    assert result["found"] == [slugs]
    assert result[loaded]
