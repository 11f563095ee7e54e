"""Prices as sellers type them ("12.50") turned into integer minor units (1250 fen).

Only plain decimal notation is read: "1e9", "-1", "1,200" or "12.505" are refused with a
message instead of being guessed at, because a price that means something else than the
seller thought is worse than a form that asks again.
"""
from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from marketplace.core.errors import DomainError

_PRICE = re.compile(r"^(?P<whole>\d+)(?:\.(?P<fraction>\d{1,2}))?$")
_CURRENCY_SIGNS = "¥￥$ "


def parse_price(raw: str | None, max_minor: int, field: str = "price") -> int:
    """Read a price such as "12.50" (full-width digits and a leading ¥ are fine)."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip().lstrip(_CURRENCY_SIGNS).strip()
    if not text:
        raise DomainError(_("Enter a price, like 12.50."), field)
    if text.startswith("-"):
        raise DomainError(_("The price must be more than zero."), field)
    match = _PRICE.match(text)
    if match is None:
        if re.fullmatch(r"\d+\.\d{3,}", text):
            raise DomainError(_("A price has at most two decimals, like 12.50."), field)
        raise DomainError(_("Enter the price as a plain number, like 12.50."), field)
    whole = match.group("whole")
    if len(whole) > 12:
        raise DomainError(_("This price is too high."), field)
    minor = int(whole) * 100 + int((match.group("fraction") or "0").ljust(2, "0"))
    if minor <= 0:
        raise DomainError(_("The price must be more than zero."), field)
    if minor > max_minor:
        raise DomainError(_("This price is too high (at most %(max)s).",
                             max=f"{max_minor // 100:,}"), field)
    return minor


def format_price(minor: int | None) -> str:
    """Show minor units as the seller would type them back: 1250 -> "12.50"."""
    if minor is None:
        return ""
    return f"{minor // 100}.{minor % 100:02d}"
