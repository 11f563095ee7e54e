"""Errors the order services raise, with a message fit to show and the field it concerns."""
from __future__ import annotations


class DomainError(ValueError):
    """A problem the shopper or seller can fix; `field` names the form field it belongs to.

    `status` is the HTTP status a page showing it should answer with: 400 for bad input,
    409 when the shop's state changed under the user (sold out, already shipped).
    """

    def __init__(self, message, field: str | None = None, status: int = 400):
        super().__init__(str(message))
        self.field = field
        self.status = status


class SoldOut(DomainError):
    """A reservation could not take the quantity asked for: the stock is not there."""

    def __init__(self, message, listing_id: int):
        super().__init__(message, field="cart", status=409)
        self.listing_id = listing_id
