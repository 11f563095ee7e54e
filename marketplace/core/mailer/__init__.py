"""Mail through a stored outbox: written in the request's transaction, delivered after it.

A request never talks to a mail relay. `marketplace.core.mail.send_mail_after_commit` stores
the rendered message as an `OutgoingMail` row in the same transaction as the decision it
tells about; once that transaction commits, a background thread delivers it (with SMTP
timeouts of a few seconds), and whatever could not be delivered is retried with
exponential back-off by the next delivery and by `flask mail send` from cron. Supervisors
see mail that failed at /admin/mail and can send it again.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Deliver stored mail after each commit; add `flask mail`."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.core.mailer import background, cli

    background.install_session_hooks()
    app.cli.add_command(cli.mail_cli)
