"""Where the shopper's parcels go, known before checkout, and what is not sent there.

The province is known once the shopper chose it (the product page's delivery chooser, the
cart's) or gave it in an earlier order. Lines of listings that are not sent there (the
listing's excluded provinces, or its cooperative's) are marked in the cart as soon as it
is known, so checkout is not offered for them; placing the order still refuses them
(checkout.place_order), whatever the pages said.
"""
from __future__ import annotations

from collections.abc import MutableMapping

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.catalog.models import Listing
from marketplace.core.regions import PROVINCE_NAMES
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.services.cart import CartView, cart_view
from marketplace.orders.services.delivery import listing_refusal
from marketplace.orders.services.shipping import ships_to, terms_for

#: Session key of the province the shopper last chose to see delivery to.
SESSION_KEY = "delivery_province"


def remember_choice(store: MutableMapping, chosen: str) -> None:
    """Keep in `store` (the session) the province the shopper chose; a blank or unknown one forgets it."""
    if chosen in PROVINCE_NAMES:
        store[SESSION_KEY] = chosen
    elif SESSION_KEY in store:
        del store[SESSION_KEY]


def known_province(chosen: str | None, remembered: str | None, user_id: int | None) -> str | None:
    """The province to deliver to as far as we know: chosen now, else chosen before, else the last order's."""
    for province in (chosen, remembered):
        if province in PROVINCE_NAMES:
            return province
    if user_id is not None:
        province = last_address(user_id).get("province")
        if province in PROVINCE_NAMES:
            return province
    return None


def mark_lines_not_sent(view: CartView, province: str | None, *, cooperatives: bool = True) -> CartView:
    """Give every line that is not sent to `province` its reason as the line's problem.

    `cooperatives=False` leaves out the cooperatives' own exclusions (checkout states those
    once per parcel).
    """
    if not province or view.is_empty:
        return view
    # The cart has just loaded these listings: taken from the session, not read again.
    listings = {line.listing_id: db.session.get(Listing, line.listing_id) for line in view.lines}
    terms = terms_for(parcel.cooperative_id for parcel in view.parcels) if cooperatives else {}
    for parcel in view.parcels:
        parcel_refusal = None
        if cooperatives and not ships_to(terms[parcel.cooperative_id], province):
            parcel_refusal = _("%(cooperative)s does not ship to %(province)s.",
                               cooperative=parcel.cooperative_name, province=province)
        for line in parcel.lines:
            listing = listings.get(line.listing_id)
            refusal = (listing_refusal(listing, province) if listing is not None else None) or parcel_refusal
            if refusal and not line.problem:
                line.problem = refusal
    return view


def cart_for_delivery(user_id: int | None, guest: dict | None, province: str | None) -> CartView:
    """The cart as it stands, with the lines that are not sent to `province` marked."""
    return mark_lines_not_sent(cart_view(user_id, guest), province)


def last_address(user_id: int) -> dict[str, str]:
    """The address of the shopper's latest order, to fill the form in again."""
    order = db.session.scalar(select(Order).where(Order.buyer_id == user_id)
                              .order_by(Order.placed_at.desc(), Order.id.desc()).limit(1))
    if order is None:
        return {}
    return {name: getattr(order, name) for name in ("recipient", "mobile", "province", "city", "county", "street")}
