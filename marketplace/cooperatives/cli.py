"""`flask counties …`: the county reference table every cooperative registers in."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.core.counties import (
    DATA_DATE,
    load_reference_counties,
    reference_counties,
)
from marketplace.core.database import write_transaction
from marketplace.core.poverty_counties import LIST_DATE as POVERTY_LIST_DATE
from marketplace.core.poverty_counties import apply_poverty_flags
from marketplace.extensions import db

counties_cli = AppGroup("counties", help="County reference data.")


@counties_cli.command("load")
def counties_load():
    """Insert or refresh every county of the reference table; safe to run again.

    `flask db upgrade` loads them on a new database; run this after the table file changes.
    """
    load_counties_into_db()


def load_counties_into_db() -> int:
    """Insert or refresh every county of the reference table (all of China), with progress."""
    counties = reference_counties()
    with write_transaction():
        with click.progressbar(length=len(counties), label="Counties", show_pos=True) as bar:
            result = load_reference_counties(db.session.connection(), counties, progress=bar.update)
        flagged = apply_poverty_flags(db.session.connection())
    click.echo(f"Counties lifted out of poverty flagged: {flagged} (list of {POVERTY_LIST_DATE}).")
    click.echo(f"Counties: {result.inserted} added, {result.updated} refreshed, "
               f"{result.unchanged} unchanged ({DATA_DATE}).")
    return len(counties)
