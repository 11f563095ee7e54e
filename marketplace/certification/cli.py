"""`flask certification …`: what a scheduler runs for the GI mark."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.certification.services.name_use import pause_without_name_right

certification_cli = AppGroup("certification", help="GI authorizations and certificates.")


@certification_cli.command("expire")
def expire_command():
    """Pause the listings whose cooperative no longer holds a valid authorization."""
    count = pause_without_name_right()
    click.echo(f"{count} listing(s) paused.")
