"""Flask commands: demo data and the accounts a deployment needs to start."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")
users_cli = AppGroup("users", help="Officials and supervisors.")
counties_cli = AppGroup("counties", help="County reference data.")


@counties_cli.command("load")
def counties_load():
    """Insert or refresh every county of the reference table; safe to run again.

    `flask db upgrade` loads them on a new database; run this after the table file changes.
    """
    from marketplace.demo.people import load_counties_into_db

    load_counties_into_db()

@demo_cli.command("load")
def demo_load():
    """Load (or refresh) the demo data; safe to run again."""
    from marketplace.demo import people, standards
    from marketplace.demo import catalog as catalog_demo
    from marketplace.demo import certification as certification_demo
    from marketplace.demo import orders as orders_demo
    from marketplace.demo import search as search_demo

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
    from marketplace.demo import people

    click.echo(f"Demo logins (password for all: {people.DEMO_PASSWORD}):")
    for email, name in people.demo_logins():
        click.echo(f"  {email:36} {name}")


@users_cli.command("create-official")
@click.argument("email")
@click.option("--county", "county_code", required=True, help="Six-digit division code of the county.")
def create_official(email: str, county_code: str):
    """Appoint an existing user as county official (sign up first)."""
    from marketplace.core.errors import DomainError
    from marketplace.accounts.services import appoint_official

    try:
        appoint_official(email, county_code)
    except DomainError as error:
        raise click.ClickException(f"{error.field}: {error}") from error
    click.echo(f"{email} is now an official of county {county_code}.")


@users_cli.command("create-supervisor")
@click.argument("email")
def create_supervisor(email: str):
    """Make an existing user a market supervisor."""
    from marketplace.core.errors import DomainError
    from marketplace.accounts.services import make_supervisor

    try:
        make_supervisor(email)
    except DomainError as error:
        raise click.ClickException(f"{error.field}: {error}") from error
    click.echo(f"{email} is now a market supervisor.")


def init_app(app: Flask) -> None:
    from marketplace.core.audit_cli import audit_cli
    from marketplace.standards.cli import standards_cli

    app.cli.add_command(audit_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(counties_cli)
    app.cli.add_command(standards_cli)
