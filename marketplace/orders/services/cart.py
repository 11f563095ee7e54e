"""The cart: in the session for guests, in the database once signed in, merged at sign-in.

Prices are never stored in a cart: every page reads them from the listing as it is now.
Guest carts are a plain mapping {listing id (str): quantity} that the view keeps in the
session; these functions take it and return the new one, so they never touch `session`.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.catalog.models import Listing, ListingStatus
from marketplace.cooperatives.models import Cooperative, CooperativeStatus
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import CartItem
from marketplace.core.errors import Conflict, DomainError, NotFound
from marketplace.orders.services.expiry import release_expired_reservations


@dataclass
class CartLine:
    listing_id: int
    title: str
    unit: str
    cooperative_id: int
    cooperative_name: str
    unit_price_minor: int
    quantity: int
    stock: int
    #: Why this line cannot be ordered as it is (None when it can).
    problem: str | None = None

    @property
    def line_total_minor(self) -> int:
        return self.unit_price_minor * self.quantity


@dataclass
class CartParcel:
    """The lines of one cooperative: they ship together, with one fee."""

    cooperative_id: int
    cooperative_name: str
    lines: list[CartLine] = field(default_factory=list)

    @property
    def items_minor(self) -> int:
        return sum(line.line_total_minor for line in self.lines)


@dataclass
class CartView:
    parcels: list[CartParcel]

    @property
    def lines(self) -> list[CartLine]:
        return [line for parcel in self.parcels for line in parcel.lines]

    @property
    def items_minor(self) -> int:
        return sum(parcel.items_minor for parcel in self.parcels)

    @property
    def unit_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def problems(self) -> list[str]:
        return [line.problem for line in self.lines if line.problem]

    @property
    def is_empty(self) -> bool:
        return not self.parcels


def check_quantity(quantity) -> int:
    """Return a quantity a cart line may hold, or refuse it with a message on "quantity"."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        try:
            quantity = int(str(quantity).strip())
        except (TypeError, ValueError) as error:
            raise DomainError(_l("Enter a whole number, such as 1."), "quantity") from error
    if quantity < 1:
        raise DomainError(_l("Enter a quantity of at least 1."), "quantity")
    most = current_app.config["CART_MAX_QUANTITY"]
    if quantity > most:
        raise DomainError(_("You can order at most %(n)d of one product.", n=most), "quantity")
    return quantity


def sells_now(cooperative: Cooperative) -> bool:
    """Only a verified cooperative sells: a pending or suspended one's listings are not on offer.

    Checked when a product is added to a cart, when the order is placed and when it is paid.
    """
    return cooperative.status == CooperativeStatus.VERIFIED


def _listing_for_sale(listing_id) -> Listing:
    listing = db.session.get(Listing, listing_id) if isinstance(listing_id, int) else None
    if listing is None:
        raise NotFound(_l("This product does not exist."), "listing_id")
    if listing.status not in (ListingStatus.ACTIVE, ListingStatus.SOLD_OUT) or not sells_now(listing.cooperative):
        # Shoppers cannot see this listing: the message names nothing of it.
        raise Conflict(_l("This product is not for sale at the moment."), "listing_id")
    if listing.status == ListingStatus.SOLD_OUT or listing.stock <= 0:
        raise DomainError(_("Sorry, “%(title)s” is sold out.", title=listing.title), "quantity", status=409)
    return listing


def _check_stock(listing: Listing, quantity: int) -> None:
    if quantity > listing.stock:
        raise DomainError(_("Only %(n)d of “%(title)s” left in stock.", n=listing.stock, title=listing.title),
                         "quantity", status=409)


def guest_items(raw) -> dict[str, int]:
    """Read a guest cart from the session, dropping anything malformed."""
    items: dict[str, int] = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            if str(key).isdigit() and isinstance(value, int) and not isinstance(value, bool) and value > 0:
                items[str(int(key))] = value
    return items


def add_to_cart(user_id: int | None, guest: dict | None, listing_id, quantity) -> dict | None:
    """Add units of a listing to a cart; return the new guest cart (None for a signed-in user)."""
    quantity = check_quantity(quantity)
    release_expired_reservations([listing_id] if isinstance(listing_id, int) else [])
    if user_id is None:
        items = guest_items(guest)
        listing = _listing_for_sale(listing_id)
        wanted = items.get(str(listing.id), 0) + quantity
        _check_room(len(items) + (0 if str(listing.id) in items else 1))
        check_quantity(wanted)
        _check_stock(listing, wanted)
        items[str(listing.id)] = wanted
        return items
    with _cart_write():
        listing = _listing_for_sale(listing_id)
        item = _user_item(user_id, listing.id)
        wanted = (item.quantity if item else 0) + quantity
        if item is None:
            _check_room(_user_line_count(user_id) + 1)
        check_quantity(wanted)
        _check_stock(listing, wanted)
        _save_user_item(user_id, listing.id, wanted, item)
    return None


def set_quantity(user_id: int | None, guest: dict | None, listing_id: int, quantity) -> dict | None:
    """Change a cart line's quantity (checked against stock now)."""
    quantity = check_quantity(quantity)
    if user_id is None:
        items = guest_items(guest)
        if str(listing_id) not in items:
            raise NotFound(_l("This product is not in your cart."), "listing_id")
        _check_stock(_listing_for_sale(listing_id), quantity)
        items[str(listing_id)] = quantity
        return items
    with _cart_write():
        item = _user_item(user_id, listing_id)
        if item is None:
            raise NotFound(_l("This product is not in your cart."), "listing_id")
        _check_stock(_listing_for_sale(listing_id), quantity)
        _save_user_item(user_id, listing_id, quantity, item)
    return None


def remove_from_cart(user_id: int | None, guest: dict | None, listing_id: int) -> dict | None:
    """Take a line out of a cart; return the new guest cart (None for a signed-in user)."""
    if user_id is None:
        items = guest_items(guest)
        if items.pop(str(listing_id), None) is None:
            raise NotFound(_l("This product is not in your cart."), "listing_id")
        return items
    with write_transaction():
        result = db.session.execute(delete(CartItem).where(CartItem.user_id == user_id,
                                                           CartItem.listing_id == listing_id))
        if result.rowcount != 1:
            raise NotFound(_l("This product is not in your cart."), "listing_id")
    return None


def merge_guest_cart(user_id: int, guest) -> int:
    """Move a guest's cart into the user's, capping each line at what can be bought; count lines kept."""
    items = guest_items(guest)
    if not items:
        return 0
    most = current_app.config["CART_MAX_QUANTITY"]
    kept = 0
    with write_transaction():
        for key, quantity in items.items():
            try:
                listing = _listing_for_sale(int(key))
            except DomainError:
                continue
            item = _user_item(user_id, listing.id)
            if item is None and _user_line_count(user_id) >= current_app.config["CART_MAX_LINES"]:
                break
            wanted = min((item.quantity if item else 0) + quantity, listing.stock, most)
            if wanted < 1:
                continue
            if item is None:
                db.session.add(CartItem(user_id=user_id, listing_id=listing.id, quantity=wanted))
            else:
                item.quantity = wanted
            db.session.flush()
            kept += 1
    return kept


def cart_view(user_id: int | None, guest: dict | None = None) -> CartView:
    """The cart as it stands now: current prices, stock, and what stops a line being ordered."""
    if user_id is None:
        quantities = {int(key): value for key, value in guest_items(guest).items()}
    else:
        quantities = dict(db.session.execute(
            select(CartItem.listing_id, CartItem.quantity).where(CartItem.user_id == user_id)).all())
    if quantities and release_expired_reservations(quantities.keys()):
        db.session.expire_all()
    listings = db.session.scalars(
        select(Listing).where(Listing.id.in_(quantities.keys()))
        .options(selectinload(Listing.cooperative)).order_by(Listing.cooperative_id, Listing.id)
    ).all() if quantities else []
    parcels: dict[int, CartParcel] = {}
    for listing in listings:
        cooperative: Cooperative = listing.cooperative
        parcel = parcels.setdefault(cooperative.id, CartParcel(cooperative.id, cooperative.name))
        parcel.lines.append(CartLine(
            listing_id=listing.id, title=listing.title, unit=listing.unit, cooperative_id=cooperative.id,
            cooperative_name=cooperative.name, unit_price_minor=listing.price_minor,
            quantity=quantities[listing.id], stock=listing.stock,
            problem=_line_problem(listing, cooperative, quantities[listing.id]),
        ))
    return CartView(list(parcels.values()))


def _line_problem(listing: Listing, cooperative: Cooperative, quantity: int) -> str | None:
    if listing.status == ListingStatus.SOLD_OUT or (listing.status == ListingStatus.ACTIVE and listing.stock <= 0):
        return _("Sold out. Remove it from your cart.")
    if listing.status != ListingStatus.ACTIVE or not sells_now(cooperative):
        return _("No longer for sale. Remove it from your cart.")
    if quantity > listing.stock:
        return _("Only %(n)d left: lower the quantity.", n=listing.stock)
    return None


def _check_room(lines: int) -> None:
    if lines > current_app.config["CART_MAX_LINES"]:
        raise DomainError(_("A cart holds at most %(n)d products.", n=current_app.config["CART_MAX_LINES"]),
                         "listing_id")


def _user_item(user_id: int, listing_id: int) -> CartItem | None:
    return db.session.scalar(select(CartItem).where(CartItem.user_id == user_id, CartItem.listing_id == listing_id))


def _user_line_count(user_id: int) -> int:
    return len(db.session.scalars(select(CartItem.id).where(CartItem.user_id == user_id)).all())


def _save_user_item(user_id: int, listing_id: int, quantity: int, item: CartItem | None) -> None:
    if item is None:
        db.session.add(CartItem(user_id=user_id, listing_id=listing_id, quantity=quantity))
    else:
        item.quantity = quantity


@contextmanager
def _cart_write():
    """One write transaction on a signed-in cart; a line added twice at once is a conflict."""
    try:
        with write_transaction():
            yield
    except IntegrityError as error:  # the same shopper adding the same product in two tabs at once
        raise Conflict(_l("Your cart changed meanwhile. Please try again."), "quantity") from error
