"""`flask orders …`: expiry, refund retries, reminders and escalations for a scheduler (cron, a systemd timer)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace.orders.services.after_sale_answers import escalate_overdue
from marketplace.orders.services.expiry import release_expired_reservations
from marketplace.orders.services.queries import pending_refund_count
from marketplace.orders.services.refunds import retry_pending
from marketplace.orders.services.seller_notices import send_payment_reminders

orders_cli = AppGroup("orders", help="Unpaid orders' expiry, refund retries, reminders and escalations.")


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


@orders_cli.command("remind")
def remind_command():
    """Remind buyers and sellers of offline orders whose reservation ends soon (once each)."""
    with current_app.test_request_context("/"):
        sent = send_payment_reminders()
    minutes = current_app.config["ORDER_PAYMENT_REMINDER_MINUTES"]
    click.echo(f"Reminded {sent} order(s) whose reservation ends within {minutes} minutes.")


@orders_cli.command("escalate")
def escalate_command():
    """Send to supervisors the after-sales requests a cooperative left unanswered in time."""
    total = 0
    with current_app.test_request_context("/"):
        while escalated := escalate_overdue():
            total += escalated
            click.echo(f"… {total} escalated so far")
    click.echo(f"Escalated {total} after-sales request(s) past their answer deadline.")
