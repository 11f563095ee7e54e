"""`flask orders remind` and `flask orders escalate`, for a scheduler (cron every few minutes)."""
from __future__ import annotations

import click
from flask import Blueprint, current_app


def register(bp: Blueprint) -> None:
    @bp.cli.command("remind")
    def remind_command():
        """Remind buyers and sellers of offline orders whose reservation ends soon (once each)."""
        from marketplace.orders.services.seller_notices import send_payment_reminders

        with current_app.test_request_context("/"):
            sent = send_payment_reminders()
        minutes = current_app.config["ORDER_PAYMENT_REMINDER_MINUTES"]
        click.echo(f"Reminded {sent} order(s) whose reservation ends within {minutes} minutes.")

    @bp.cli.command("escalate")
    def escalate_command():
        """Send to supervisors the after-sales requests a cooperative left unanswered in time."""
        from marketplace.orders.services.after_sale_answers import escalate_overdue

        total = 0
        with current_app.test_request_context("/"):
            while escalated := escalate_overdue():
                total += escalated
                click.echo(f"… {total} escalated so far")
        click.echo(f"Escalated {total} after-sales request(s) past their answer deadline.")
