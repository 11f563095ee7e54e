"""`flask mail send` (for cron) and `flask mail status`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.core.mailer.delivery import counts_by_status, deliver

mail_cli = AppGroup("mail", help="The mail outbox.")


@mail_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most mails to attempt in this run.")
def send(limit: int):
    """Deliver mail that is due: never sent yet, or waiting for its next attempt."""
    report = deliver(limit=limit)
    click.echo(f"{len(report.sent)} sent, {len(report.retrying)} to retry later, {len(report.failed)} failed.")


@mail_cli.command("status")
def status():
    """Count the mail in the outbox by status."""
    for name, number in counts_by_status().items():
        click.echo(f"{name:8} {number}")
