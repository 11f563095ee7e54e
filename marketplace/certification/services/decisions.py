"""What every certification decision shares: reasons, numbers, and one safe transaction."""
from __future__ import annotations

import secrets
from contextlib import contextmanager
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from marketplace.certification.services.queue import local_date
from marketplace.core.database import write_transaction
from marketplace.core.errors import DomainError

MAX_REASON_LENGTH = 2000
_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def clean_reason(text: str | None, *, required: bool, field: str = "reason") -> str:
    """Strip a reason; refuse an empty one where the rules ask for it, or an endless one."""
    reason = (text or "").strip()
    if required and not reason:
        raise DomainError(_l("Give a reason: the cooperative and the log will show it."), field)
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(_l("Keep it under %(n)d characters.", n=MAX_REASON_LENGTH), field)
    return reason


def new_number(prefix: str, county_code: str, at: datetime) -> str:
    """A number that reads well and cannot collide in practice: "GI-330106-2026-7KQ3M2".

    A random tail rather than a running count, so two officials approving at once in the
    same county never race for the same number (the column is unique all the same).
    """
    tail = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))
    return f"{prefix}-{county_code}-{at.year}-{tail}"


@contextmanager
def decision_transaction():
    """Run a decision as one write transaction: commit it whole, or roll it back and say why.

    A concurrent decision on the same row shows up as a stale version or a unique
    constraint; the user is told to reload instead of seeing an error page.
    """
    try:
        with write_transaction():
            yield
    except (StaleDataError, IntegrityError) as error:
        raise DomainError(_l("Someone else changed this file at the same moment. "
                                    "Reload the page to see its current state.")) from error


def mail_date(moment: datetime | None) -> str:
    """A date for a mail, in the shop's time zone (mails are plain text, read anywhere)."""
    if moment is None:
        return ""

    return local_date(moment).isoformat()
