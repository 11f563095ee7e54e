"""How many units the shopper's cart holds, for the header of every page.

One aggregate query for a signed-in shopper (their cart rows are indexed by user), and
nothing but the session for a guest, whose cart lives there.
"""
from __future__ import annotations

from flask import session
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from marketplace.extensions import db
from marketplace.orders.models import CartItem
from marketplace.orders.services.cart import guest_items


def units_in_cart(user_id: int | None, guest) -> int:
    """Units in a signed-in shopper's cart (by id) or in a guest's (the session's items)."""
    if user_id is not None:
        return int(db.session.scalar(
            select(func.coalesce(func.sum(CartItem.quantity), 0)).where(CartItem.user_id == user_id)) or 0)
    return sum(guest_items(guest).values())


def current_cart_count() -> int:
    """The header's figure for whoever is asking.

    The header is on error pages too: when the database is what failed, the page still
    renders, without the figure.
    """
    try:
        if current_user.is_authenticated:
            return units_in_cart(current_user.id, None)
        return units_in_cart(None, session.get("cart"))
    except SQLAlchemyError:
        return 0
