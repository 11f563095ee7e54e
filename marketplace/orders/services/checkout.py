"""Checkout: the delivery address, one shipping fee per cooperative, and placing the order.

Every amount is computed here from the database; nothing the browser sends besides the
address, the payment method and (in the cart) quantities is read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from marketplace.core.audit import record
from marketplace.catalog.listing_terms import shop_today
from marketplace.catalog.presale import presale_open
from marketplace.catalog.models import Listing, ListingStatus, ListingVariant
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.core.i18n import money
from marketplace.orders.events import order_placed
from marketplace.orders.models import CartItem, Order, OrderLine, OrderStatus, PaymentMethod, SubOrder
from marketplace.core.phones import PhoneError, parse_phone
from marketplace.core.regions import PROVINCE_NAMES
from marketplace.orders.services import invoices, lifecycle
from marketplace.orders.services.cart import CartParcel, cart_view, sells_now
from marketplace.core.errors import Conflict, DomainError
from marketplace.orders.services.delivery import listing_refusal, pickup_address
from marketplace.orders.services.destination import mark_lines_not_sent
from marketplace.orders.services.expiry import release_expired_reservations
from marketplace.orders.services.payments import PlacedOrder, start_payment  # noqa: F401  (PlacedOrder: callers import it from here too)
from marketplace.orders.services.reservations import reserve_stock
from marketplace.orders.services.seller_notices import bank_transfer_details
from marketplace.orders.services.shipping import parcel_fee, ships_to, terms_for
from marketplace.payments import stripe_configured
from marketplace.core.timeutil import utcnow

ADDRESS_LIMITS = {"recipient": 60, "city": 60, "county": 60, "street": 200}
ADDRESS_MESSAGES = {
    "recipient": _l("Enter the recipient's name."),
    "province": _l("Choose a province from the list."),
    "city": _l("Enter the city."),
    "county": _l("Enter the county or district."),
    "street": _l("Enter the street address."),
    "mobile": _l("Enter a mobile number, such as 13812345678."),
}


@dataclass
class ParcelQuote:
    """One cooperative's part of the basket, with its shipping fee for the chosen province."""

    parcel: CartParcel
    shipping_minor: int
    ships: bool = True

    @property
    def total_minor(self) -> int:
        return self.parcel.items_minor + self.shipping_minor


@dataclass
class CheckoutSummary:
    quotes: list[ParcelQuote] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def items_minor(self) -> int:
        return sum(quote.parcel.items_minor for quote in self.quotes)

    @property
    def shipping_minor(self) -> int:
        return sum(quote.shipping_minor for quote in self.quotes)

    @property
    def total_minor(self) -> int:
        return self.items_minor + self.shipping_minor

    @property
    def is_empty(self) -> bool:
        return not self.quotes


def payment_methods(user_id: int | None = None) -> list[PaymentMethod]:
    """The ways to pay on offer, the default first: Stripe when it is configured.

    Bank transfer only when every cooperative in the user's cart has given its payee account.
    """
    offline = [PaymentMethod.BANK_TRANSFER, PaymentMethod.CASH_ON_DELIVERY]
    if user_id is not None and cooperatives_without_payee(user_id):
        offline.remove(PaymentMethod.BANK_TRANSFER)
    return [PaymentMethod.STRIPE, *offline] if stripe_configured() else offline


def cooperatives_without_payee(user_id: int) -> list[str]:
    """Names of the cooperatives in the user's cart that have no payee account for transfers."""
    from marketplace.cooperatives.models import Cooperative
    from marketplace.cooperatives.payee import PayeeAccount

    return list(db.session.scalars(
        select(Cooperative.name).join(Listing, Listing.cooperative_id == Cooperative.id)
        .join(CartItem, CartItem.listing_id == Listing.id)
        .outerjoin(PayeeAccount, PayeeAccount.cooperative_id == Cooperative.id)
        .where(CartItem.user_id == user_id, PayeeAccount.id.is_(None))
        .distinct().order_by(Cooperative.name)))


def clean_address(values) -> dict[str, str]:
    """Check a delivery address given as plain values; refuse the first bad field by name.

    The mobile number may be of the mainland, Hong Kong, Macao or Taiwan: typed with its
    country code, or read in the region of `mobile_region`; it is kept in E.164.
    """
    address = {name: " ".join(str(values.get(name) or "").split()) for name in
               ("recipient", "mobile", "province", "city", "county", "street")}
    for name in ("recipient", "province", "city", "county", "street", "mobile"):
        if not address[name]:
            raise DomainError(ADDRESS_MESSAGES[name], name)
        if name in ADDRESS_LIMITS and len(address[name]) > ADDRESS_LIMITS[name]:
            raise DomainError(_("Use at most %(n)d characters.", n=ADDRESS_LIMITS[name]), name)
    if address["province"] not in PROVINCE_NAMES:
        raise DomainError(ADDRESS_MESSAGES["province"], "province")
    try:
        address["mobile"] = parse_phone(address["mobile"], str(values.get("mobile_region") or "") or None)
    except PhoneError as error:
        raise DomainError(error.message, "mobile") from None
    return address


def checkout_summary(user_id: int, province: str | None = None, pickup: bool = False) -> CheckoutSummary:
    """Quote the signed-in shopper's cart: lines, one fee per cooperative (none at a pickup point), totals."""

    view = cart_view(user_id)
    if view.is_empty:
        return CheckoutSummary()
    if not pickup:
        mark_lines_not_sent(view, province, cooperatives=False)
    weights = dict(db.session.execute(select(ListingVariant.id, ListingVariant.weight_grams).where(
        ListingVariant.id.in_([line.variant_id for line in view.lines]))).all())
    terms = terms_for(parcel.cooperative_id for parcel in view.parcels)
    summary = CheckoutSummary(problems=list(view.problems))
    for parcel in view.parcels:
        rule = terms[parcel.cooperative_id]
        fee = parcel_fee(
            rule, items_minor=parcel.items_minor, units=sum(line.quantity for line in parcel.lines),
            grams=sum((weights.get(line.variant_id) or 0) * line.quantity for line in parcel.lines),
        )
        quote = ParcelQuote(parcel, 0, ships=True) if pickup else ParcelQuote(parcel, fee, ships=ships_to(rule, province))
        if not quote.ships:
            summary.problems.append(_("%(cooperative)s does not ship to %(province)s. Remove its products or "
                                      "choose another address.", cooperative=parcel.cooperative_name,
                                      province=province))
        summary.quotes.append(quote)
    return summary


def place_order(user, address_values, payment_method: str, urls=None, invoice: dict | None = None) -> PlacedOrder:
    """Turn the shopper's cart into an order: stock reserved for the whole basket, or nothing.

    `urls(order_id)` gives the (success, cancel) addresses for a hosted payment page;
    `invoice` (kind, title, taxpayer_id) asks for an invoice (发票) with the order.
    """
    user = getattr(user, "_get_current_object", lambda: user)()  # the User behind current_user
    pickup_point_id = (address_values or {}).get("pickup_point_id")
    if pickup_point_id:
        # Collected at a pickup point: the buyer gives name and mobile, the point its address.
        cooperative_ids = db.session.scalars(select(Listing.cooperative_id).join(
            CartItem, CartItem.listing_id == Listing.id).where(CartItem.user_id == user.id)).all()
        point, point_address = pickup_address(pickup_point_id, cooperative_ids)
        address = clean_address({**address_values, **point_address})
        address["pickup_point_id"] = point.id
    else:
        address = clean_address(address_values)
    try:
        method = PaymentMethod(payment_method)
    except ValueError as error:
        raise DomainError(_l("Choose how you want to pay."), "payment_method") from error
    if method is PaymentMethod.BANK_TRANSFER and (unpayable := cooperatives_without_payee(user.id)):
        raise DomainError(_("%(cooperatives)s cannot take bank transfers yet (no account given): choose another way "
                           "to pay.", cooperatives="、".join(unpayable)), "payment_method")
    if method not in payment_methods():
        raise DomainError(_l("Choose how you want to pay."), "payment_method")
    invoice_answer = invoices.clean_checkout_request(invoice)
    release_expired_reservations(select(CartItem.listing_id).where(CartItem.user_id == user.id))

    with write_transaction():
        items = db.session.scalars(
            select(CartItem).where(CartItem.user_id == user.id).order_by(CartItem.listing_id)
            .options(joinedload(CartItem.listing).joinedload(Listing.cooperative), joinedload(CartItem.variant))
            .execution_options(populate_existing=True)
        ).unique().all()
        if not items:
            raise DomainError(_l("Your cart is empty."), "cart")
        for item in items:
            listing = item.listing
            if listing.status == ListingStatus.SOLD_OUT:
                raise Conflict(_("Sorry, “%(title)s” is sold out.", title=listing.title), "cart")
            if (listing.status != ListingStatus.ACTIVE or not sells_now(listing.cooperative)
                    or item.variant.is_retired):
                raise Conflict(_("“%(title)s” is no longer for sale. Remove it from your cart.",
                                 title=listing.title), "cart")
            refusal = listing_refusal(listing, address["province"])  # a pickup point's province too
            if refusal:
                raise DomainError(refusal + " " + _("Remove it from your cart or choose another address."),
                                  "province")
        reserve_stock((item.variant_id, item.quantity) for item in items)
        order = _build_order(user, address, method, items)
        if invoice_answer is not None:
            invoices.request_with_order(user, order, invoice_answer)
        db.session.execute(delete(CartItem).where(CartItem.user_id == user.id))
        lifecycle.add_event(order, "placed", actor=user, to_status=OrderStatus.PENDING_PAYMENT.value)
        record("order.placed", "order", order.id, actor=user, total_minor=order.total_minor,
               payment_method=method.value, cooperatives=[sub.cooperative_id for sub in order.sub_orders])
        lifecycle.mail_buyer(order, _("Order %(number)s received", number=lifecycle.order_number(order.id)),
                             "order_placed", total=money(order.total_minor, order.currency),
                             payment_method=method.value,
                             lines=[(line.title, line.quantity, money(line.line_total_minor, order.currency))
                                    for sub in order.sub_orders for line in sub.lines],
                             shipping=money(order.shipping_minor, order.currency),
                             transfers=bank_transfer_details(order))
        order_placed.send(order)
        order_id = order.id
    if method is PaymentMethod.STRIPE:
        return start_payment(user, order_id, urls)
    return PlacedOrder(order_id)


def _build_order(user, address: dict, method: PaymentMethod, items: list[CartItem]) -> Order:
    """Create the order, a sub-order per cooperative and their lines, priced from the database."""
    by_cooperative: dict[int, list[CartItem]] = {}
    for item in items:
        by_cooperative.setdefault(item.listing.cooperative_id, []).append(item)
    terms = terms_for(by_cooperative)
    pickup = address.get("pickup_point_id") is not None
    now, today = utcnow(), shop_today()
    order = Order(buyer=user, currency=current_app.config["CURRENCY"], payment_method=method,
                  status=OrderStatus.PENDING_PAYMENT, placed_at=now, items_minor=0, shipping_minor=0,
                  total_minor=0, refunded_minor=0,
                  reserved_until=now + timedelta(minutes=lifecycle.reservation_minutes(method.provider)),
                  **address)
    for cooperative_id, group in sorted(by_cooperative.items()):
        rule = terms[cooperative_id]
        if not pickup and not ships_to(rule, address["province"]):
            raise DomainError(_("%(cooperative)s does not ship to %(province)s. Remove its products or choose "
                               "another address.", cooperative=group[0].listing.cooperative.name,
                               province=address["province"]), "province")
        lines = [OrderLine(listing_id=item.listing_id, variant_id=item.variant_id, title=item.listing.title,
                           title_en=item.listing.title_en,
                           unit=item.variant.label, unit_price_minor=item.variant.price_minor, quantity=item.quantity,
                           line_total_minor=item.variant.price_minor * item.quantity,
                           weight_grams=item.variant.weight_grams) for item in group]
        items_minor = sum(line.line_total_minor for line in lines)
        fee = 0 if pickup else parcel_fee(rule, items_minor=items_minor, units=sum(line.quantity for line in lines),
                                          grams=sum((line.weight_grams or 0) * line.quantity for line in lines))
        presale_days = [item.listing.presale_ships_from for item in group if presale_open(item.listing, today)]
        order.sub_orders.append(SubOrder(cooperative_id=cooperative_id, status=OrderStatus.PENDING_PAYMENT,
                                         items_minor=items_minor, shipping_minor=fee, total_minor=items_minor + fee,
                                         refunded_minor=0, lines=lines,
                                         ships_from=max(presale_days) if presale_days else None))
        order.items_minor += items_minor
        order.shipping_minor += fee
    order.total_minor = order.items_minor + order.shipping_minor
    db.session.add(order)
    db.session.flush()
    return order
