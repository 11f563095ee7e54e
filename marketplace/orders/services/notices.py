"""Mail in the recipient's own language: to a buyer, or to every member of a cooperative.

The mail is rendered under the recipient's stored language (`User.language`, chosen at
sign-up from the browser and changeable on the profile page), not the language of the
request that caused it: a Chinese-reading seller is told of an English-reading buyer's
order in Chinese. Subjects are lazy strings, so they too are translated for the reader.
"""
from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.cooperatives.models import Membership
from marketplace.extensions import db
from marketplace.core.mail import send_mail_after_commit
from marketplace.orders.services.lifecycle import order_number


def mail_user(user: User, subject, template: str, **context) -> None:
    """Store a mail to `user`, rendered in their language, in the current transaction."""
    with force_locale(user.language or "zh"):
        send_mail_after_commit(user.email, str(subject), template, name=user.display_name, **context)


def members_of(cooperative_id: int) -> list[User]:
    """The active members of a cooperative, who are told about its orders."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.cooperative_id == cooperative_id, User.is_active_account.is_(True))
        .order_by(User.id)))


def mail_members(cooperative_id: int, subject, template: str, **context) -> int:
    """Mail every member of a cooperative, each in their language; return how many."""
    members = members_of(cooperative_id)
    for member in members:
        mail_user(member, subject, template, **context)
    return len(members)


def number_of(order_id: int) -> str:
    return order_number(order_id)
