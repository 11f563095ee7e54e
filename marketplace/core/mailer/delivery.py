"""Deliver stored mail: claim a row, hand it to the transport, record what happened.

Each mail is claimed with one conditional UPDATE (queued and due, or claimed by a sender
whose lease ran out), so two senders (a request's background thread and cron) never send
the same message twice. The relay is talked to outside any transaction: a slow relay
holds no database lock. A failed attempt is retried later, each wait twice the one
before (MAIL_RETRY_BASE_SECONDS, at most MAIL_RETRY_MAX_SECONDS), until
MAIL_MAX_ATTEMPTS; a relay's permanent refusal (5xx) fails the mail at once.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_string
from email.policy import default as default_policy

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from marketplace.core.database import end_read, write_transaction
from marketplace.extensions import db
from marketplace.core.mailer.models import MailStatus, OutgoingMail
from marketplace.core.mailer.transports import PermanentFailure, transport_from_config
from marketplace.core.timeutil import utcnow


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)


def _claimable(now):
    return or_(
        and_(OutgoingMail.status == MailStatus.QUEUED, OutgoingMail.next_attempt_at <= now),
        and_(OutgoingMail.status == MailStatus.SENDING, OutgoingMail.claimed_until < now),
    )


def due_mail_ids(limit: int = 100) -> list[int]:
    """Ids of mail a sender may take now, oldest first."""
    now = utcnow()
    return list(db.session.scalars(
        select(OutgoingMail.id).where(_claimable(now)).order_by(OutgoingMail.id).limit(limit)))


def deliver(ids: Iterable[int] | None = None, *, limit: int = 100) -> DeliveryReport:
    """Deliver the given mails (or every due one, up to `limit`) that no other sender holds."""
    report = DeliveryReport()
    wanted = list(ids) if ids is not None else due_mail_ids(limit)
    end_read()  # each claim reads the rows as they are now
    transport = transport_from_config(current_app.config)
    for mail_id in wanted:
        claimed = _claim(mail_id)
        if claimed is None:
            continue
        text, created_at, attempts = claimed
        message = message_from_string(text, policy=default_policy)
        try:
            transport.send(message, f"{created_at:%Y%m%dT%H%M%S%f}-{mail_id:010d}")
        except PermanentFailure as error:
            _give_up(mail_id, str(error))
            report.failed.append(mail_id)
        except Exception as error:  # the network, a timeout, a relay's temporary refusal
            if _schedule_retry(mail_id, attempts, f"{type(error).__name__}: {error}"):
                report.retrying.append(mail_id)
            else:
                report.failed.append(mail_id)
            current_app.logger.warning("Mail %s not delivered (attempt %s): %r", mail_id, attempts, error)
        else:
            _mark_sent(mail_id)
            report.sent.append(mail_id)
    return report


def _claim(mail_id: int):
    """Take the mail for this sender, or None if it is not due or another sender holds it."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    with write_transaction():
        changed = db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id == mail_id, _claimable(now))
            .values(status=MailStatus.SENDING, claimed_until=now + lease, attempts=OutgoingMail.attempts + 1)
            .execution_options(synchronize_session=False)).rowcount
        if changed != 1:
            return None
        return db.session.execute(
            select(OutgoingMail.message, OutgoingMail.created_at, OutgoingMail.attempts)
            .where(OutgoingMail.id == mail_id)).one()


def _finish(mail_id: int, **values) -> None:
    with write_transaction():
        db.session.execute(
            update(OutgoingMail).where(OutgoingMail.id == mail_id, OutgoingMail.status == MailStatus.SENDING)
            .values(claimed_until=None, **values).execution_options(synchronize_session=False))


def _mark_sent(mail_id: int) -> None:
    _finish(mail_id, status=MailStatus.SENT, sent_at=utcnow(), last_error="")


def _give_up(mail_id: int, error: str) -> None:
    _finish(mail_id, status=MailStatus.FAILED, last_error=error[:2000])


def retry_delay(attempts: int, config) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling, capped."""
    base = float(config["MAIL_RETRY_BASE_SECONDS"])
    seconds = min(base * 2 ** max(attempts - 1, 0), float(config["MAIL_RETRY_MAX_SECONDS"]))
    return timedelta(seconds=seconds)


def _schedule_retry(mail_id: int, attempts: int, error: str) -> bool:
    """Queue the next attempt; False when that was the last one allowed."""
    config = current_app.config
    if attempts >= int(config["MAIL_MAX_ATTEMPTS"]):
        _give_up(mail_id, error)
        return False
    _finish(mail_id, status=MailStatus.QUEUED, next_attempt_at=utcnow() + retry_delay(attempts, config),
            last_error=error[:2000])
    return True


def retry_mail(mail_id: int) -> bool:
    """Queue a failed or waiting mail for delivery now (a supervisor's "send again")."""
    with write_transaction():
        changed = db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id == mail_id,
                   OutgoingMail.status.in_([MailStatus.FAILED, MailStatus.QUEUED]))
            .values(status=MailStatus.QUEUED, next_attempt_at=utcnow())
            .execution_options(synchronize_session=False)).rowcount
    return changed == 1


def mail_needing_attention(limit: int = 200) -> list[OutgoingMail]:
    """Mail that failed for good or waits for another attempt, newest first."""
    return list(db.session.scalars(
        select(OutgoingMail)
        .where(or_(OutgoingMail.status == MailStatus.FAILED,
                   and_(OutgoingMail.status != MailStatus.SENT, OutgoingMail.attempts > 0)))
        .order_by(OutgoingMail.id.desc()).limit(limit)))


def counts_by_status() -> dict[str, int]:
    rows = db.session.execute(select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status))
    counts = {status.value: 0 for status in MailStatus}
    counts.update({status.value: number for status, number in rows})
    return counts
