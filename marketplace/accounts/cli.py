"""`flask users …`: the officials and supervisors a deployment needs to start."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.accounts.services import appoint_official, make_supervisor
from marketplace.core.errors import DomainError

users_cli = AppGroup("users", help="Officials and supervisors.")


@users_cli.command("create-official")
@click.argument("email")
@click.option("--county", "county_code", required=True, help="Six-digit division code of the county.")
def create_official(email: str, county_code: str):
    """Appoint an existing user as county official (sign up first)."""
    try:
        appoint_official(email, county_code)
    except DomainError as error:
        raise click.ClickException(f"{error.field}: {error}") from error
    click.echo(f"{email} is now an official of county {county_code}.")


@users_cli.command("create-supervisor")
@click.argument("email")
def create_supervisor(email: str):
    """Make an existing user a market supervisor."""
    try:
        make_supervisor(email)
    except DomainError as error:
        raise click.ClickException(f"{error.field}: {error}") from error
    click.echo(f"{email} is now a market supervisor.")
