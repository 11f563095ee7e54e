"""One canonical form of an email address, for every place that looks an account up.

Sign-in, the sign-in, sign-up and reset counters, registration and password reset all key
on this form, so "ＦＡＲＭＥＲ@example。com", "farmer@example.com" and "Farmer@EXAMPLE.COM"
are one account and share one counter: typing a variant never buys a fresh count.
"""
from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

#: Characters that stand for "." in domains typed on Chinese and Japanese keyboards
#: (ideographic full stop, full-width full stop, half-width ideographic full stop).
DOT_VARIANTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


class InvalidEmail(ValueError):
    """The text is not an email address."""


def _folded(raw: str | None) -> str:
    """NFKC (full-width letters, digits and "＠" become ASCII), dots unified, trimmed."""
    return unicodedata.normalize("NFKC", raw or "").translate(DOT_VARIANTS).strip()


def canonical_email(raw: str | None) -> str:
    """Return the address as accounts store it, or raise InvalidEmail.

    email-validator adds what it normalises (the domain's IDNA form, its own Unicode
    folding); the whole address is then lower-cased, since every provider our users use
    treats the local part without regard to case.
    """
    try:
        checked = validate_email(_folded(raw), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(str(error)) from error
    return checked.normalized.lower()


def identity_key(raw: str | None) -> str:
    """The key that counts attempts for an address, whether or not it is a valid one."""
    try:
        return canonical_email(raw)
    except InvalidEmail:
        return _folded(raw).lower()
