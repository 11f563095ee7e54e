"""`flask demo …`: load the demo world, print its logins."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.demo import after_sale as after_sale_demo
from marketplace.demo import api as api_demo
from marketplace.demo import catalog as catalog_demo
from marketplace.demo import certification as certification_demo
from marketplace.demo import insights as insights_demo
from marketplace.demo import orders as orders_demo
from marketplace.demo import people, standards
from marketplace.demo import pickup as pickup_demo
from marketplace.demo import search as search_demo
from marketplace.demo import supervision as supervision_demo

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
        after_sale_demo.load_payee_accounts,  # before the orders: bank transfer needs an account
        orders_demo.load,  # after the catalog step: it buys the listings made there
        api_demo.load,
        after_sale_demo.load,  # delivered orders with after-sales requests
        supervision_demo.load,  # after the orders step: it reviews a delivered order
        pickup_demo.load,
        insights_demo.load_supply,  # cooperatives of poverty-lifted counties, before indexing
        search_demo.load,  # indexes the listings the steps above made
        insights_demo.load_history,  # last: buys every demo listing, publishes the index months
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
