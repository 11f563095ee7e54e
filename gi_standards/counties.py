"""County-level divisions (GB/T 2260 codes) named by the packaged standards.

The table is a CSV file so that it diffs line by line and any tool can read it. It holds
every county any packaged standard names, with current names: renamings since a GI was
approved (库车县 → 库车市, 临安市 → 临安区 …) are applied, because the web app lets
cooperatives choose their county from this list.
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

    def name(self, locale: str | None) -> str:
        return self.name_zh if (locale or "").lower().startswith("zh") else self.name_en


def load_counties(path: str | Path | None = None) -> list[County]:
    """Read the county table (the packaged one by default), checking every row."""
    if path is None:
        return list(_packaged())
    return list(_read(Path(path)))


def county_index() -> Mapping[str, County]:
    """The packaged counties by code (read once, then shared)."""
    return _packaged_index()


@lru_cache(maxsize=1)
def _packaged() -> tuple[County, ...]:
    return _read(COUNTIES_FILE)


@lru_cache(maxsize=1)
def _packaged_index() -> Mapping[str, County]:
    return MappingProxyType({county.code: county for county in _packaged()})


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
    header = next(reader, None)
    if tuple(header or ()) != COLUMNS:
        raise CatalogueError([Problem(filename, "(header)", f"must be {','.join(COLUMNS)}")])
    counties: dict[str, County] = {}
    for line, row in enumerate(reader, start=2):
        key = f"line {line}"
        if not row:
            continue
        if len(row) != len(COLUMNS):
            problems.append(Problem(filename, key, f"has {len(row)} columns, not {len(COLUMNS)}"))
            continue
        values = [cell.strip() for cell in row]
        county = County(*values)
        if not _COUNTY_CODE.fullmatch(county.code):
            problems.append(Problem(filename, key, f"code {county.code!r} is not six digits"))
        elif county.code in counties:
            problems.append(Problem(filename, key, f"code {county.code} appears twice"))
        for column, value in zip(COLUMNS[1:], values[1:]):
            if not value:
                problems.append(Problem(filename, f"{key}.{column}", "must not be empty"))
        counties[county.code] = county
    if problems:
        raise CatalogueError(problems)
    return tuple(counties.values())
