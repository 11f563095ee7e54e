"""Supervision mail in each recipient's own language, never in the language of whoever acted.

A Chinese-reading supervisor who takes down an English-reading seller's listing writes the
reason in Chinese, but the mail around it (subject, wording, the listing's title) is the
seller's: each message is rendered under the recipient's stored language (`User.language`).
An address with no account (a complainant who reported from the verify page without signing
in) gets the language they used when they wrote to us.

Callers pass subjects and texts as lazy strings (`lazy_gettext`) and values that depend on
the language as `in_reader_language(...)`, so they are translated once per recipient.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.catalog.english_text import listing_title
from marketplace.extensions import db
from marketplace.core.i18n import current_language
from marketplace.core.mail import send_mail_after_commit
from marketplace.orders.services.notices import mail_members, mail_user


def in_reader_language(function, *args, **kwargs) -> LazyString:
    """A value worked out when the mail is rendered, in the recipient's language."""
    return LazyString(function, *args, **kwargs)


def title_of(listing) -> LazyString:
    """A listing's title as the recipient reads it (the English one for English readers)."""
    return in_reader_language(listing_title, listing)


def writers_language() -> str:
    """The language of the request being served: kept with what a guest writes to us."""
    return current_language()


def _users_by_address(addresses: list[str]) -> dict[str, User]:
    lowered = [address.lower() for address in addresses]
    users = db.session.scalars(select(User).where(func.lower(User.email).in_(lowered))).all()
    return {user.email.lower(): user for user in users}


def mail_addresses(addresses, subject, template: str, *, language: str | None = None, **context) -> None:
    """Store one mail per distinct address, each in its reader's language.

    An address that belongs to an account is written to in that account's language;
    any other in `language` (the one its owner wrote to us in), else the shop's default.
    """
    distinct = list(dict.fromkeys(a for a in addresses if a))
    users = _users_by_address(distinct)
    for address in distinct:
        user = users.get(address.lower())
        if user is not None:
            mail_user(user, subject, template, **context)
            continue
        fallback = language if language in current_app.config["LANGUAGES"] else None
        with force_locale(fallback or current_app.config["BABEL_DEFAULT_LOCALE"]):
            send_mail_after_commit(address, str(subject), template, **context)


def tell_cooperative(cooperative_id: int, subject, template: str, **context) -> int:
    """Mail every active member of a cooperative, each in their language; return how many."""
    return mail_members(cooperative_id, subject, template, **context)
