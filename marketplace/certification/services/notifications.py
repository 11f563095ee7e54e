"""Mail about certification decisions, sent only once the decision is committed.

Messages carry plain values (names, numbers, dates as text), never ORM objects, because
they are rendered after the transaction has ended.
"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import OfficialAppointment, User
from marketplace.cooperatives.models import Membership
from marketplace.core.mail import send_mail_after_commit
from marketplace.core.urls import external_url
from marketplace.extensions import db


def absolute_url(endpoint: str, **values) -> str:
    """A link for a mail, on the site's public address (also from the command line)."""
    return external_url(endpoint, **values)


def _member_emails(cooperative_id: int) -> list[str]:
    return list(db.session.scalars(
        select(User.email).join(Membership, Membership.user_id == User.id)
        .where(Membership.cooperative_id == cooperative_id, User.is_active_account.is_(True))
        .order_by(User.email)))


def _official_emails(county_code: str) -> list[str]:
    return list(db.session.scalars(
        select(User.email).join(OfficialAppointment, OfficialAppointment.user_id == User.id)
        .where(OfficialAppointment.county_code == county_code, User.is_active_account.is_(True))
        .order_by(User.email)))


def tell_members(cooperative_id: int, subject: str, template: str = "certification_decision",
                 **context) -> None:
    """Mail every member of the cooperative about a decision on its file."""
    for email in _member_emails(cooperative_id):
        send_mail_after_commit(email, subject, template, **context)


def tell_officials(county_code: str, subject: str, **context) -> None:
    """Mail the officials of a county that something waits in their queue."""
    for email in _official_emails(county_code):
        send_mail_after_commit(email, subject, "certification_to_review", **context)
