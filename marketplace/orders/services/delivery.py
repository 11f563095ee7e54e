"""Delivery as the shopper sees it: fee and estimate on the product page, tracking links,
the listing's own shipping terms (ship days, excluded provinces), and pickup points.

The fee on the product page is the one checkout will charge for that size alone, from the
same cooperative rule (`shipping.parcel_fee`); a basket of several products may be cheaper.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.catalog.listing_terms import shop_today, weekdays_of
from marketplace.catalog.presale import presale_open
from marketplace.catalog.models import Listing, ListingVariant
from marketplace.core.text import clean_name
from marketplace.cooperatives.services import membership_of
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import PickupPoint
from marketplace.core.regions import PROVINCE_NAMES
from marketplace.orders.services.errors import DomainError
from marketplace.orders.services.shipping import parcel_fee, ships_to, terms_for


def tracking_url(carrier: str | None, number: str | None) -> str | None:
    """The carrier's tracking page for a number, from the configured templates; None if unknown."""
    template = current_app.config["CARRIER_TRACKING_URLS"].get(carrier or "")
    if not template or not number:
        return None
    return template.format(number=quote(number, safe=""))


@dataclass(frozen=True)
class DeliveryQuote:
    """What the product page says about delivering one unit of a size to a province."""

    province: str
    ships: bool
    fee_minor: int
    #: The first day the parcel can leave (pre-sale date, then the listing's ship days).
    dispatch_on: date
    arrive_from: date
    arrive_by: date
    #: Why it does not ship there, when it does not.
    refusal: str | None = None


def first_dispatch_day(listing: Listing, today: date) -> date:
    """The first day on or after today (or the pre-sale date) that the listing ships on."""
    day = listing.presale_ships_from if presale_open(listing, today) else today
    days = weekdays_of(listing)
    while day.weekday() not in days:
        day += timedelta(days=1)
    return day


def listing_refusal(listing: Listing, province: str) -> str | None:
    """Why this listing is not sent to a province (its own exclusions), or None."""
    if province in (listing.excluded_provinces or ()):
        reason = _("cold chain") if listing.cold_chain else _("the seller's terms")
        return _("“%(title)s” is not sent to %(province)s (%(reason)s).", title=listing.title,
                 province=province, reason=reason)
    return None


def quote_delivery(listing: Listing, variant: ListingVariant, province: str) -> DeliveryQuote:
    """Fee and delivery estimate of one unit of `variant` sent to `province`."""
    config = current_app.config
    terms = terms_for([listing.cooperative_id])[listing.cooperative_id]
    refusal = listing_refusal(listing, province)
    if refusal is None and not ships_to(terms, province):
        refusal = _("%(cooperative)s does not ship to %(province)s.", cooperative=listing.cooperative.name,
                    province=province)
    fee = parcel_fee(terms, items_minor=variant.price_minor, units=1, grams=variant.weight_grams or 0)
    home = _province_of(listing)
    if province == home:
        fewest, most = config["DELIVERY_DAYS_SAME_PROVINCE"]
    elif province in config["DELIVERY_REMOTE_PROVINCES"]:
        fewest, most = config["DELIVERY_DAYS_REMOTE"]
    else:
        fewest, most = config["DELIVERY_DAYS_OTHER"]
    dispatch = first_dispatch_day(listing, shop_today())
    return DeliveryQuote(province, refusal is None, fee, dispatch, dispatch + timedelta(days=fewest),
                         dispatch + timedelta(days=most), refusal)


def _province_of(listing: Listing) -> str | None:
    county = getattr(listing.cooperative, "county", None)
    return getattr(county, "province_zh", None)


# --- pickup points -------------------------------------------------------------------------

PICKUP_LIMITS = {"name": 80, "city": 60, "county": 60, "street": 200, "hours": 80}
PICKUP_MESSAGES = {
    "name": _l("Name the pickup point, such as 村服务站."),
    "province": _l("Choose a province from the list."),
    "city": _l("Enter the city."),
    "county": _l("Enter the county or district."),
    "street": _l("Enter the street address."),
}


def pickup_points_of(cooperative_id: int, *, active_only: bool = True) -> list[PickupPoint]:
    query = select(PickupPoint).where(PickupPoint.cooperative_id == cooperative_id)
    if active_only:
        query = query.where(PickupPoint.active.is_(True))
    return list(db.session.scalars(query.order_by(PickupPoint.name, PickupPoint.id)))


def pickup_points_for(cooperative_ids) -> list[PickupPoint]:
    """The open pickup points a basket from these cooperatives can be collected at.

    A point hands over its own cooperative's parcels only, so a basket from one cooperative
    can be collected at that cooperative's points, and a basket from several cannot.
    """
    ids = set(cooperative_ids)
    return pickup_points_of(ids.pop()) if len(ids) == 1 else []


def save_pickup_point(user, cooperative_id: int, values, point_id: int | None = None) -> PickupPoint:
    """Add or change a cooperative's pickup point; only its members may."""
    if membership_of(user, cooperative_id) is None:
        raise DomainError(_l("You are not a member of this cooperative."), "cooperative_id", status=403)
    cleaned = {name: clean_name(str(values.get(name) or "")) for name in
               ("name", "province", "city", "county", "street", "hours")}
    for name in ("name", "province", "city", "county", "street"):
        if not cleaned[name]:
            raise DomainError(PICKUP_MESSAGES[name], name)
    for name, limit in PICKUP_LIMITS.items():
        if len(cleaned[name]) > limit:
            raise DomainError(_("Use at most %(n)d characters.", n=limit), name)
    if cleaned["province"] not in PROVINCE_NAMES:
        raise DomainError(PICKUP_MESSAGES["province"], "province")
    from marketplace.core.audit import record

    with write_transaction():
        if point_id is None:
            point = PickupPoint(cooperative_id=cooperative_id, active=True)
            db.session.add(point)
        else:
            point = db.session.get(PickupPoint, point_id)
            if point is None or point.cooperative_id != cooperative_id:
                raise DomainError(_l("Pickup point not found."), status=404)
        for name, value in cleaned.items():
            setattr(point, name, value)
        db.session.flush()
        record("pickup_point.saved", "cooperative", cooperative_id, actor=user, pickup_point_id=point.id,
               name=point.name)
    return point


def close_pickup_point(user, cooperative_id: int, point_id: int) -> None:
    """Stop offering a pickup point (orders that name it keep it)."""
    if membership_of(user, cooperative_id) is None:
        raise DomainError(_l("You are not a member of this cooperative."), "cooperative_id", status=403)
    from marketplace.core.audit import record

    with write_transaction():
        point = db.session.get(PickupPoint, point_id)
        if point is None or point.cooperative_id != cooperative_id:
            raise DomainError(_l("Pickup point not found."), status=404)
        point.active = False
        record("pickup_point.closed", "cooperative", cooperative_id, actor=user, pickup_point_id=point.id)


def pickup_address(point_id, cooperative_ids) -> tuple[PickupPoint, dict[str, str]]:
    """The open pickup point chosen for a basket, and the address fields it stands for."""
    try:
        wanted = int(str(point_id).strip())
    except (TypeError, ValueError):
        raise DomainError(_l("Choose a pickup point from the list."), "pickup_point_id") from None
    point = next((p for p in pickup_points_for(cooperative_ids) if p.id == wanted), None)
    if point is None:
        raise DomainError(_l("Choose a pickup point from the list."), "pickup_point_id")
    return point, {"province": point.province, "city": point.city, "county": point.county,
                   "street": f"{point.name} · {point.street}"[:200]}
