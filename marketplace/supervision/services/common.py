"""What every supervision service needs: who may act, a required reason, and who to mail."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import OfficialAppointment, User
from marketplace.core.errors import DomainError, NotAllowed
from marketplace.core.text import clean_text
from marketplace.extensions import db
from marketplace.supervision.services.mailing import mail_addresses

MAX_REASON_LENGTH = 2000


def authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def check_supervisor(user) -> None:
    if not authenticated(user) or not user.is_supervisor:
        raise NotAllowed(_l("Only a market supervisor can do this."))


def clean_body(value, field: str, *, required: bool, longest: int = MAX_REASON_LENGTH,
               missing=None) -> str:
    """Tidy a text a user wrote (the shop's one text path); refuse it empty or too long."""
    text = (clean_text(value or "", multiline=True) or "").strip()
    if required and not text:
        raise DomainError(missing or _l("Give a reason: it is mailed to those concerned and kept "
                                             "in the audit log."), field)
    if len(text) > longest:
        raise DomainError(_l("Keep it under %(n)d characters.", n=longest), field)
    return text


def supervisor_emails() -> list[str]:
    return list(db.session.scalars(select(User.email).where(
        User.is_supervisor.is_(True), User.is_active_account.is_(True)).order_by(User.email)))


def official_emails(county_code: str | None) -> list[str]:
    if not county_code:
        return []
    return list(db.session.scalars(
        select(User.email).join(OfficialAppointment, OfficialAppointment.user_id == User.id)
        .where(OfficialAppointment.county_code == county_code, User.is_active_account.is_(True))
        .order_by(User.email)))


def mail_each(addresses, subject, template: str, **context) -> None:
    """Store one mail per distinct address in the current transaction, in each reader's language."""
    mail_addresses(addresses, subject, template, **context)
