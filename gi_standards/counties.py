"""County-level divisions (GB/T 2260 codes) named by the packaged standards.

The table is a CSV file so that it diffs line by line and any tool can read it. It holds
every county any packaged standard names, with current names: renamings since a GI was
approved (库车县 → 库车市, 临安市 → 临安区 …) are applied, because the web app lets
cooperatives choose their county from this list.

Codes retired since an approval (库车县 652923, 绍兴县 330621 …) stay in the table with their
successor and the year they were retired, in two more columns, so that a batch still
declared under an old code is told "code retired, now …" instead of "outside the area".
They are never offered for choice: `load_counties` and `county_index` hold current codes
only, and `retired_counties` the others.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from .errors import CatalogueError, Problem

COUNTIES_FILE = Path(__file__).parent / "data" / "counties.csv"
COLUMNS = ("code", "name_zh", "name_en", "city_zh", "city_en", "province_zh", "province_en")
#: Optional last columns: the current code(s) that replaced a retired one (space-separated),
#: and the year it was retired; both empty for a current division.
RETIREMENT_COLUMNS = ("successor", "retired")
_COUNTY_CODE = re.compile(r"[0-9]{6}")


@dataclass(frozen=True)
class County:
    """A county-level division with its prefecture-level city and province.

    For counties governed directly by a province (琼中, 阿拉尔) the city is the official
    statistical label "省直辖县级行政区划"; for Beijing's districts it is 北京市 itself.
    """

    code: str
    name_zh: str
    name_en: str
    city_zh: str
    city_en: str
    province_zh: str
    province_en: str
    #: For a retired code: the current code(s) that replaced it; empty for a current one.
    successors: tuple[str, ...] = ()
    #: For a retired code: the year it was retired.
    retired: str = ""

    @property
    def is_retired(self) -> bool:
        return bool(self.successors)

    def name(self, locale: str | None) -> str:
        return self.name_zh if (locale or "").lower().startswith("zh") else self.name_en


def load_counties(path: str | Path | None = None) -> list[County]:
    """Read the current counties of the table (the packaged one by default), checking every row."""
    counties = _packaged() if path is None else _read(Path(path))
    return [county for county in counties if not county.is_retired]


def county_index() -> Mapping[str, County]:
    """The packaged current counties by code (read once, then shared)."""
    return _packaged_index()


def retired_counties() -> Mapping[str, County]:
    """The packaged retired codes by code, each with its successor(s) and year."""
    return _retired_index()


@lru_cache(maxsize=1)
def _packaged() -> tuple[County, ...]:
    return _read(COUNTIES_FILE)


@lru_cache(maxsize=1)
def _packaged_index() -> Mapping[str, County]:
    return MappingProxyType({c.code: c for c in _packaged() if not c.is_retired})


@lru_cache(maxsize=1)
def _retired_index() -> Mapping[str, County]:
    return MappingProxyType({c.code: c for c in _packaged() if c.is_retired})


def _read(path: Path) -> tuple[County, ...]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError([Problem(path.name, "(file)", f"cannot be read: {error}")]) from None
    return parse_counties(text, path.name)


def parse_counties(text: str, filename: str) -> tuple[County, ...]:
    """Parse county CSV text; every bad row is reported, and nothing is returned then."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text))
    header = tuple(next(reader, None) or ())
    if header not in (COLUMNS, COLUMNS + RETIREMENT_COLUMNS):
        raise CatalogueError([Problem(
            filename, "(header)",
            f"must be {','.join(COLUMNS)} (optionally then {','.join(RETIREMENT_COLUMNS)})")])
    counties: dict[str, County] = {}
    for line, row in enumerate(reader, start=2):
        key = f"line {line}"
        if not row:
            continue
        if len(row) != len(header):
            problems.append(Problem(filename, key, f"has {len(row)} columns, not {len(header)}"))
            continue
        values = [cell.strip() for cell in row]
        successors = tuple(values[7].split()) if len(values) > 7 else ()
        retired = values[8] if len(values) > 8 else ""
        county = County(*values[:7], successors=successors, retired=retired)
        if not _COUNTY_CODE.fullmatch(county.code):
            problems.append(Problem(filename, key, f"code {county.code!r} is not six digits"))
        elif county.code in counties:
            problems.append(Problem(filename, key, f"code {county.code} appears twice"))
        for column, value in zip(COLUMNS[1:], values[1:7]):
            if not value:
                problems.append(Problem(filename, f"{key}.{column}", "must not be empty"))
        if bool(successors) != bool(retired):
            problems.append(Problem(filename, f"{key}.successor",
                                    "a retired code needs both its successor and the year"))
        elif retired and not re.fullmatch(r"(19|20)[0-9]{2}", retired):
            problems.append(Problem(filename, f"{key}.retired", f"{retired!r} is not a year"))
        counties[county.code] = county
    for county in counties.values():
        for successor in county.successors:
            target = counties.get(successor)
            if target is None or target.is_retired:
                problems.append(Problem(filename, f"code {county.code}.successor",
                                        f"{successor} is not a current code of the table"))
    if problems:
        raise CatalogueError(problems)
    return tuple(counties.values())
