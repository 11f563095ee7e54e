"""Errors the order services raise: core's domain errors, and a reservation that found no stock."""
from __future__ import annotations

from marketplace.core.errors import Conflict, DomainError, NotAllowed, NotFound  # noqa: F401  (the names callers of this area import)


class SoldOut(Conflict):
    """A reservation could not take the quantity asked for: the stock is not there."""

    def __init__(self, message, listing_id: int):
        super().__init__(message, field="cart")
        self.listing_id = listing_id
