"""Outgoing mail.

There is no mail server in development or tests: each message is written as an .eml file
to the outbox folder (config MAIL_OUTBOX), where a developer can read it and tests can
assert on it. A deployment with SMTP_HOST set sends through that server instead.
"""
from __future__ import annotations

import os
import smtplib
import uuid
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from flask import current_app, render_template

from marketplace.timeutil import utcnow


def send_mail(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Render `templates/mail/<template>.txt` and deliver it to `to`."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@terroir>"
    message.set_content(render_template(f"mail/{template}.txt", **context))
    smtp_host = os.environ.get("SMTP_HOST")
    if smtp_host:
        with smtplib.SMTP(smtp_host, int(os.environ.get("SMTP_PORT", "25"))) as server:
            server.send_message(message)
    else:
        _write_to_outbox(message)
    return message


def _write_to_outbox(message: EmailMessage) -> Path:
    outbox = Path(current_app.config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    path = outbox / name
    path.write_bytes(message.as_bytes(policy=default_policy))
    current_app.logger.info("Mail to %s written to %s: %s", message["To"], path, message["Subject"])
    return path


def read_outbox(outbox: str | Path) -> list[EmailMessage]:
    """Return the messages in an outbox folder, oldest first (for developers and tests)."""
    from email import message_from_bytes

    folder = Path(outbox)
    if not folder.exists():
        return []
    return [
        message_from_bytes(path.read_bytes(), policy=default_policy)
        for path in sorted(folder.glob("*.eml"))
    ]


def send_mail_after_commit(to: str, subject: str, template: str, **context) -> None:
    """Send the mail once the current transaction commits, and never if it rolls back.

    Services call this beside their state change, so a decision that fails to commit (or
    a replayed event that changes nothing) sends nothing.
    """
    from marketplace.extensions import db

    pending = db.session.info.setdefault("pending_mail", [])
    pending.append((to, str(subject), template, context))


def _install_session_hooks() -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    @event.listens_for(Session, "after_commit")
    def _send_pending(session):
        pending = session.info.pop("pending_mail", [])
        for to, subject, template, context in pending:
            try:
                send_mail(to, subject, template, **context)
            except Exception:  # mail must never undo a committed decision
                current_app.logger.exception("Could not send mail to %s", to)

    @event.listens_for(Session, "after_soft_rollback")
    def _drop_pending(session, _previous_transaction):
        session.info.pop("pending_mail", None)


_install_session_hooks()
