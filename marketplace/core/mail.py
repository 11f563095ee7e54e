"""Outgoing mail: rendered now, stored with the decision it tells about, delivered after commit.

Services call `send_mail_after_commit(to, subject, template, **context)` beside their state
change. The message is rendered from `templates/mail/<template>.txt` and stored in the
mail outbox table in the same transaction, so a decision that fails to commit (or a
replayed event that changes nothing) sends nothing, and a committed one loses no mail,
even with the relay down. Delivery happens after the commit, outside the request (see
marketplace/core/mailer). Without SMTP_HOST each message is written as an .eml file to the
outbox folder (config MAIL_OUTBOX), where a developer can read it and tests assert on it.
"""
from __future__ import annotations

import uuid
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate
from pathlib import Path

from flask import current_app, render_template

from marketplace.core.mailer.background import remember
from marketplace.core.mailer.models import OutgoingMail
from marketplace.extensions import db


def compose_mail(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Render `templates/mail/<template>.txt` into a message to `to`."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = str(subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = f"<{uuid.uuid4().hex}@terroir>"
    message.set_content(render_template(f"mail/{template}.txt", **context))
    return message


def send_mail_after_commit(to: str, subject: str, template: str, **context) -> None:
    """Store the mail in the current transaction; it is delivered once that commits.

    If the transaction rolls back, the mail goes with it and nothing is sent.
    """
    message = compose_mail(to, subject, template, **context)
    mail = OutgoingMail(recipient=str(to)[:320], subject=str(message["Subject"])[:255],
                        message=message.as_string(policy=default_policy))
    db.session.add(mail)
    remember(db.session(), mail)


#: The same thing under its older name: every mail now goes through the outbox.
send_mail = send_mail_after_commit


def read_outbox(outbox: str | Path) -> list[EmailMessage]:
    """Return the messages in an outbox folder, oldest first (for developers and tests)."""
    folder = Path(outbox)
    if not folder.exists():
        return []
    return [
        message_from_bytes(path.read_bytes(), policy=default_policy)
        for path in sorted(folder.glob("*.eml"))
    ]
