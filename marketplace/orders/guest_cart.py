"""The guest cart kept across sign-in: what a shopper put in the cart before signing in stays."""
from __future__ import annotations

from flask import current_app, session
from flask_login import user_logged_in

from marketplace.orders.services import cart, destination


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
    if destination.SESSION_KEY not in session:
        province = destination.known_province(None, None, user.id)
        if province:
            session[destination.SESSION_KEY] = province


def connect() -> None:
    """Listen for sign-ins (called by the area's init_app; connecting twice changes nothing)."""
    user_logged_in.connect(merge_cart_on_sign_in, weak=False)
    user_logged_in.connect(remember_province_on_sign_in, weak=False)
