"""Build standard files for tests: a small valid document, edited per test, written as TOML.

Tests describe a standard as a dict (what tomllib would read) and turn it into file text
with `to_toml`, so each test shows only the keys it is about.
"""
from __future__ import annotations

import copy
import json
import re
from datetime import date

from gi_standards import Declaration, parse_standard


def _names(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}


#: A made-up tea standard touching every feature of the format.
BASE_DOC = {
    "slug": "test-tea",
    "names": _names("测试茶", "Test tea"),
    "aliases": ["试验茶"],
    "category": "tea",
    "version": 1,
    "standard": {"code": "T/TEST 1-2024", "title": "测试茶", "source": "made up for tests",
                 "confidence": "H"},
    "protected_area": ["330106", "330108"],
    "partial_area": ["330110"],
    "harvest_months": [3, 4, 5],
    "varieties": ["龙井43", "鸠坑种"],
    "parameters": [
        {"key": "moisture", "names": _names("水分", "Moisture"), "unit": "%", "max": 6.5},
        {"key": "water_extract", "names": _names("水浸出物", "Water extract"), "unit": "%",
         "min": 34.0},
        {"key": "soluble_solids", "names": _names("可溶性固形物", "Soluble solids"),
         "unit": "%", "gt": 10.0, "lt": 20.0, "required": False},
        {"key": "leaf_form", "names": _names("外形", "Leaf form"),
         "allowed": ["扁平", "卷曲"], "required": False},
        {"key": "bud_weight", "names": _names("芽重", "Bud weight"), "unit": "mg",
         "required": False, "by_variety": {"龙井43": {"min": 8.0}, "鸠坑种": {"min": 10.0}}},
    ],
    "grades": [
        {"key": "premium", "names": _names("特级", "Premium"),
         "limits": {"moisture": {"max": 6.0}, "water_extract": {"min": 36.0}}},
        {"key": "grade-1", "names": _names("一级", "Grade 1"),
         "limits": {"moisture": {"max": 6.5}}},
        {"key": "grade-2", "names": _names("二级", "Grade 2")},
    ],
}

#: Measurements that meet every base limit and the premium grade.
GOOD_MEASUREMENTS = {"moisture": 5.8, "water_extract": 37.0}


def base_doc() -> dict:
    return copy.deepcopy(BASE_DOC)


def to_toml(doc: dict) -> str:
    """Write a dict as TOML, using inline tables and arrays throughout."""
    return "".join(f"{_key(key)} = {_value(value)}\n" for key, value in doc.items())


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, int) or value == value else "nan"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def build_standard(doc: dict | None = None, filename: str = "test-tea.toml"):
    return parse_standard(to_toml(doc if doc is not None else BASE_DOC), filename)


def declaration(**changes) -> Declaration:
    values = {"county_code": "330106", "harvest_date": date(2024, 4, 2), "variety": "龙井43",
              "grade": None, "measurements": dict(GOOD_MEASUREMENTS)}
    values.update(changes)
    return Declaration(**values)
