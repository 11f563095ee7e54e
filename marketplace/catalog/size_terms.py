"""What one size of a listing is sold as: its name, its stock and the weight of one unit.

A listing's first size is typed on the listing form, any other on the size form; both
are checked here, so the two forms can never accept different things.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from marketplace.core.errors import DomainError
from marketplace.core.text import clean_name

LABEL_MAX_CHARS = 40


def _whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def clean_size(label, stock, weight_grams, *, label_field: str) -> tuple[str, int, int | None]:
    """The size's name, stock and unit weight as they may be kept, or a DomainError naming the field."""
    config = current_app.config
    label = clean_name(label)
    if not label:
        raise DomainError(_("Say what one unit is, like “500 g box”."), label_field)
    if len(label) > LABEL_MAX_CHARS:
        raise DomainError(_("At most %(count)s characters.", count=LABEL_MAX_CHARS), label_field)
    if not _whole_number(stock):
        raise DomainError(_("Enter the stock as a whole number."), "stock")
    if stock < 0:
        raise DomainError(_("Stock cannot be below zero."), "stock")
    if stock > config["LISTING_STOCK_MAX"]:
        raise DomainError(_("This stock is too large."), "stock")
    if weight_grams is not None and (not _whole_number(weight_grams)
                                     or not 0 < weight_grams <= config["LISTING_WEIGHT_MAX_GRAMS"]):
        raise DomainError(_("Enter the weight of one unit in grams, more than zero."), "weight_grams")
    return label, stock, weight_grams
