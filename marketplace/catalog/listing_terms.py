"""A listing's selling terms beyond price: harvest pre-sale, ship days, excluded provinces.

Read from plain values as the seller typed them; a bad value is refused naming its field.
The province names are the delivery provinces of core.regions (which imports nothing of
the project), so the catalog and checkout speak of the same places.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError
from marketplace.core.regions import PROVINCE_NAMES
from marketplace.core.timeutil import utcnow

#: Weekday labels, Monday = 0, as date.weekday() counts them.
WEEKDAY_LABELS = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))


@dataclass(frozen=True)
class ListingTerms:
    """The terms as plain values: what the form sent, before checking."""

    presale_ships_from: str | date | None = None
    presale_yield_kg: str | None = None
    ship_weekdays: tuple[int, ...] | list | None = None
    excluded_provinces: tuple[str, ...] | list | None = None
    cold_chain: bool = False


def _date(raw) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise DomainError(_("Enter a date such as 2026-07-20."), "presale_ships_from") from None


def _kg(raw) -> Decimal | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError(_("Enter the expected yield in kilograms, such as 1200."), "presale_yield_kg") from None
    if not value.is_finite() or value <= 0 or value >= Decimal("1000000000") or value != value.quantize(Decimal("0.001")):
        raise DomainError(_("Enter the expected yield in kilograms, such as 1200."), "presale_yield_kg")
    return value


def clean_terms(terms: ListingTerms, today: date) -> dict:
    """Check the terms; return the listing's column values."""
    ships_from = _date(terms.presale_ships_from)
    yield_kg = _kg(terms.presale_yield_kg)
    if ships_from is not None and yield_kg is None:
        raise DomainError(_("Enter the expected yield in kilograms: a pre-sale cannot sell more."),
                           "presale_yield_kg")
    if ships_from is None and yield_kg is not None:
        raise DomainError(_("Enter the day the pre-sale ships from, or leave both empty."), "presale_ships_from")
    if ships_from is not None and (ships_from - today).days > 366:
        raise DomainError(_("A pre-sale ships within a year."), "presale_ships_from")
    days: set[int] = set()
    for raw in terms.ship_weekdays or ():
        try:
            day = int(raw)
        except (TypeError, ValueError):
            day = -1
        if not 0 <= day <= 6:
            raise DomainError(_("Choose ship days from the list."), "ship_weekdays")
        days.add(day)
    provinces = sorted({str(name) for name in (terms.excluded_provinces or ()) if name})
    unknown = [name for name in provinces if name not in PROVINCE_NAMES]
    if unknown:
        raise DomainError(_("Unknown province: %(name)s.", name=unknown[0][:40]), "excluded_provinces")
    return {
        "presale_ships_from": ships_from, "presale_yield_kg": yield_kg,
        # Every day chosen is the same as no restriction: stored empty.
        "ship_weekdays": "" if len(days) in (0, 7) else "".join(str(day) for day in sorted(days)),
        "excluded_provinces": provinces, "cold_chain": bool(terms.cold_chain),
    }


def weekdays_of(listing) -> tuple[int, ...]:
    """The weekdays a listing ships on (all seven when unrestricted)."""
    return tuple(int(c) for c in listing.ship_weekdays) if listing.ship_weekdays else tuple(range(7))


def shop_today() -> date:
    """Today in the shop's own time zone: ship days and pre-sale dates are local days."""
    return utcnow().astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def ship_day_names(listing) -> str:
    """The listing's ship days as the reader says them: "Mon, Tue, Wed"."""
    return ", ".join(str(WEEKDAY_LABELS[day]) for day in weekdays_of(listing))
