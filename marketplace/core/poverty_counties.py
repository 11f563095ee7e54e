"""The poverty-lifted flag of counties (脱贫县, Art. 13), from a sourced data file.

`data/poverty_lifted_counties.csv` says in its header where the list comes from, its date
and how much of it the file holds. The migration that adds the flag sets it, and
`flask counties load` (through `load_counties_into_db`) keeps it in step after the file
changes: counties in the file are flagged, every other county is not.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa

POVERTY_FILE = Path(__file__).parent / "data" / "poverty_lifted_counties.csv"
#: The date of the list the file follows (the day the last listed counties exited).
LIST_DATE = "2020-11-23"
SOURCE = ("National list of 832 poverty-stricken counties, State Council Leading Group Office of "
          "Poverty Alleviation and Development (2014), all declared lifted by 2020-11-23; partial selection")

_counties = sa.table("counties", sa.column("code", sa.String), sa.column("poverty_lifted", sa.Boolean))


@lru_cache(maxsize=1)
def poverty_lifted_codes() -> frozenset[str]:
    """The county codes the data file lists (comment lines start with '#')."""
    lines = [line for line in POVERTY_FILE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    codes = {row["code"].strip() for row in csv.DictReader(lines)}
    bad = sorted(code for code in codes if len(code) != 6 or not code.isdigit())
    if bad:
        raise ValueError(f"{POVERTY_FILE.name}: not county codes: {', '.join(bad)}")
    return frozenset(codes)


def apply_poverty_flags(connection: sa.Connection) -> int:
    """Flag the listed counties and unflag the rest; return how many counties are flagged."""
    codes = sorted(poverty_lifted_codes())
    connection.execute(sa.update(_counties).where(_counties.c.code.not_in(codes))
                       .where(_counties.c.poverty_lifted.is_(True)).values(poverty_lifted=False))
    result = connection.execute(sa.update(_counties).where(_counties.c.code.in_(codes))
                                .values(poverty_lifted=True))
    return result.rowcount
