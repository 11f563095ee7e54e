"""When a harvest pre-sale (预售) is still a pre-sale: one rule for pages, checkout and delivery.

A listing sells a coming harvest until its ships-from day comes or its harvested batch is
linked, whichever is first. After that the goods are in hand: no "pre-sale" on cards or
the product page, and new orders are not held back to the old date.
"""
from __future__ import annotations

from datetime import date, datetime, time

from zoneinfo import ZoneInfo


def presale_open(listing, today: date) -> bool:
    """Still a pre-sale on `today` (the shop's local day): its day ahead and no batch linked yet."""
    ships_from = listing.presale_ships_from
    return ships_from is not None and listing.batch_id is None and ships_from > today


def presale_end_moment(ships_from: date, timezone: str) -> datetime:
    """The instant a pre-sale ends by the clock: the start of its ships-from day, shop time."""
    return datetime.combine(ships_from, time.min, tzinfo=ZoneInfo(timezone))
