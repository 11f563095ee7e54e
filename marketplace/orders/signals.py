"""Signals of the orders area, and the guest cart kept across sign-in.

`listings_availability_changed` is sent inside the transaction that reserved or released
stock, with the ids of listings that went off sale (sold out) or may be back on sale. The
stock itself changes by conditional UPDATE statements that the ORM's flush events do not
see, so an area that mirrors listings (the search index) connects here.
"""
from __future__ import annotations

from blinker import Namespace
from flask import current_app, session
from flask_login import user_logged_in

from marketplace.orders.services import cart


listings_availability_changed = Namespace().signal("listings-availability-changed")


def merge_cart_on_sign_in(_sender, user, **_extra) -> None:
    """Move the guest cart kept in the session into the user's cart."""
    guest = session.pop("cart", None)
    if not guest:
        return
    try:
        cart.merge_guest_cart(user.id, guest)
    except Exception:  # a cart must never stop anyone signing in
        current_app.logger.exception("Could not merge the guest cart of user %s", user.id)


def remember_province_on_sign_in(_sender, user, **_extra) -> None:
    """Know where the shopper's parcels go from their last order, unless they chose already."""
    from marketplace.orders.services import destination

    if destination.SESSION_KEY not in session:
        province = destination.known_province(None, None, user.id)
        if province:
            session[destination.SESSION_KEY] = province


def connect() -> None:
    """Listen for sign-ins (called once when the blueprint is imported)."""
    user_logged_in.connect(merge_cart_on_sign_in, weak=False)
    user_logged_in.connect(remember_province_on_sign_in, weak=False)
