"""`flask insights publish YYYY-MM` and `flask insights refresh`: freeze a month, or recompute one."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup

insights_cli = AppGroup("insights", help="The public e-commerce index (Art. 16).")


def _progress(started: float):
    def report(step: str, count: int) -> None:
        click.echo(f"  {step:10} {count:>8} figures  ({time.monotonic() - started:.1f} s)")

    return report


@insights_cli.command("publish")
@click.argument("month")
def publish(month: str):
    """Freeze MONTH (YYYY-MM): its figures are announced and never change again."""
    from marketplace.insights import snapshots
    from marketplace.core.errors import DomainError
    from marketplace.insights.months import Month

    started = time.monotonic()
    try:
        chosen = Month.parse(month)
        click.echo(f"Publishing {chosen}:")
        count = snapshots.publish_month(chosen, progress=_progress(started))
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{chosen} published: {count} figures in {time.monotonic() - started:.1f} s.")


@insights_cli.command("refresh")
@click.argument("month", required=False)
def refresh(month: str | None):
    """Recompute a provisional month now (the current month by default)."""
    from marketplace.insights import snapshots
    from marketplace.core.errors import DomainError
    from marketplace.insights.months import Month

    try:
        chosen = Month.parse(month) if month else snapshots.current_month()
        row = snapshots.refresh_provisional(chosen, force=True)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    state = "published (unchanged)" if row.is_published else "provisional, recomputed"
    click.echo(f"{chosen}: {state}.")
