"""`flask demo …`: load the demo world, print its logins."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.demo import catalog as catalog_demo
from marketplace.demo import certification as certification_demo
from marketplace.demo import orders as orders_demo
from marketplace.demo import people, standards
from marketplace.demo import search as search_demo

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def demo_load():
    """Load (or refresh) the demo data; safe to run again."""

    # Each area's step, in the order their data depends on each other.
    steps = [
        people.load_counties_into_db,
        people.load_people,
        people.load_cooperatives,
        standards.load,
        certification_demo.load_authorizations,  # listings go live under a GI name only with one
        catalog_demo.load,
        certification_demo.load,  # after the catalog step: it certifies the batches made there
        orders_demo.load,  # after the catalog step: it buys the listings made there
        search_demo.load,  # keep last: indexes the listings the steps above made
    ]
    for step in steps:
        step()
    click.echo("")
    click.get_current_context().invoke(demo_logins)


@demo_cli.command("logins")
def demo_logins():
    """Print the demo accounts and their password."""
    click.echo(f"Demo logins (password for all: {people.DEMO_PASSWORD}):")
    for email, name in people.demo_logins():
        click.echo(f"  {email:36} {name}")
