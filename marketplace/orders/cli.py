"""`flask orders …`: expiry and refund retries for a scheduler (cron, a systemd timer)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace.orders.services.expiry import release_expired_reservations
from marketplace.orders.services.queries import pending_refund_count
from marketplace.orders.services.refunds import retry_pending

orders_cli = AppGroup("orders", help="Unpaid orders' expiry and refund retries.")


@orders_cli.command("expire")
def expire_command():
    """Cancel unpaid orders whose reservation ran out and put their stock back."""
    total = 0
    with current_app.test_request_context("/"):
        for _round in range(1000):
            expired = release_expired_reservations()
            total += expired
            if not expired:
                break
    click.echo(f"Expired {total} unpaid order(s); their stock is back on sale.")


@orders_cli.command("retry-refunds")
def retry_refunds_command():
    """Try again the refunds the payment provider could not make earlier."""
    with current_app.test_request_context("/"):
        done = retry_pending()
        left = pending_refund_count()
    click.echo(f"{done} refund(s) made; {left} still pending.")
