"""Read the mail the app sent, once the background sender has delivered what was committed."""
from __future__ import annotations

from tests.support.polling import DEFAULT_TIMEOUT, wait_for


def mail_settled(app) -> bool:
    """True once no committed mail waits for its first attempt or is being sent."""
    from sqlalchemy import func, or_, select

    from marketplace.extensions import db
    from marketplace.core.mailer import background
    from marketplace.core.mailer.models import MailStatus, OutgoingMail

    if not background.is_idle(app):
        return False
    with db.engine.connect() as connection:
        waiting = connection.execute(
            select(func.count()).select_from(OutgoingMail).where(or_(
                OutgoingMail.status == MailStatus.SENDING,
                (OutgoingMail.status == MailStatus.QUEUED) & (OutgoingMail.attempts == 0)))).scalar()
    return waiting == 0


def read_sent_mail(app, timeout: float = DEFAULT_TIMEOUT):
    """The messages delivered to the outbox folder, after waiting for the sender to settle."""
    from marketplace.core.mail import read_outbox

    assert wait_for(lambda: mail_settled(app), timeout), "mail was still being delivered"
    return read_outbox(app.config["MAIL_OUTBOX"])
