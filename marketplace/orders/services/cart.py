"""The cart: in the session for guests, in the database once signed in, merged at sign-in.

Prices are never stored in a cart: every page reads them from the variant as it is now.
A cart line is one size (variant) of a listing. Guest carts are a plain mapping
{variant id (str): quantity} that the view keeps in the session (a listing's first variant
has the listing's id, so carts saved before sizes existed still name the same product);
these functions take it and return the new one, so they never touch `session`.
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

from marketplace.catalog.models import Listing, ListingStatus, ListingVariant, live_variants, product_name
from marketplace.cooperatives.models import Cooperative, CooperativeStatus
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import CartItem
from marketplace.core.errors import Conflict, DomainError, NotFound
from marketplace.orders.services.expiry import release_expired_reservations


@dataclass
class CartLine:
    listing_id: int
    variant_id: int
    title: str
    unit: str
    cooperative_id: int
    cooperative_name: str
    unit_price_minor: int
    quantity: int
    stock: int
    #: Why this line cannot be ordered as it is (None when it can).
    problem: str | None = None
    #: The seller's English title, shown on the English site (`listing_title` filter).
    title_en: str = ""

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


def _variant_for_sale(listing: Listing, variant_id) -> ListingVariant:
    """The size asked for, which must be this listing's and on sale; none asked: the only one."""
    live = live_variants(listing)
    if variant_id is None:
        if len(live) != 1:
            raise DomainError(_l("Choose a size."), "variant_id")
        variant = live[0]
    else:
        variant = next((v for v in live if v.id == variant_id), None)
        if variant is None:
            raise DomainError(_l("Choose one of this product's sizes."), "variant_id")
    if variant.stock <= 0:
        raise DomainError(_("Sorry, “%(title)s” is sold out.", title=product_name(listing, variant)),
                         "quantity", status=409)
    return variant


def _for_sale(listing_id, variant_id) -> tuple[Listing, ListingVariant]:
    listing = _listing_for_sale(listing_id)
    return listing, _variant_for_sale(listing, variant_id)


def _check_stock(listing: Listing, variant: ListingVariant, quantity: int) -> None:
    if quantity > variant.stock:
        raise DomainError(_("Only %(n)d of “%(title)s” left in stock.", n=variant.stock,
                           title=product_name(listing, variant)), "quantity", status=409)


def guest_items(raw) -> dict[str, int]:
    """Read a guest cart from the session, dropping anything malformed."""
    items: dict[str, int] = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            if str(key).isdigit() and isinstance(value, int) and not isinstance(value, bool) and value > 0:
                items[str(int(key))] = value
    return items


def add_to_cart(user_id: int | None, guest: dict | None, listing_id, quantity,
                variant_id: int | None = None) -> dict | None:
    """Add units of a listing's size to a cart; return the new guest cart (None for a signed-in user)."""
    quantity = check_quantity(quantity)
    release_expired_reservations([listing_id] if isinstance(listing_id, int) else [])
    if user_id is None:
        items = guest_items(guest)
        listing, variant = _for_sale(listing_id, variant_id)
        key = str(variant.id)
        wanted = items.get(key, 0) + quantity
        _check_room(len(items) + (0 if key in items else 1))
        check_quantity(wanted)
        _check_stock(listing, variant, wanted)
        items[key] = wanted
        return items
    with _cart_write():
        listing, variant = _for_sale(listing_id, variant_id)
        item = _user_item(user_id, variant.id)
        wanted = (item.quantity if item else 0) + quantity
        if item is None:
            _check_room(_user_line_count(user_id) + 1)
        check_quantity(wanted)
        _check_stock(listing, variant, wanted)
        _save_user_item(user_id, listing.id, variant.id, wanted, item)
    return None


def _line_variant_id(user_id: int | None, guest: dict | None, listing_id: int, variant_id: int | None) -> int:
    """The cart line meant: the size given (of this listing), or the listing's only line in the cart."""
    if user_id is None:
        in_cart = [int(key) for key in guest_items(guest)]
    else:
        in_cart = list(db.session.scalars(select(CartItem.variant_id).where(CartItem.user_id == user_id)))
    owned = set(db.session.scalars(select(ListingVariant.id).where(
        ListingVariant.listing_id == listing_id, ListingVariant.id.in_(in_cart)))) if in_cart else set()
    if variant_id is not None:
        if variant_id not in owned:
            raise NotFound(_l("This product is not in your cart."), "listing_id")
        return variant_id
    if len(owned) != 1:
        raise NotFound(_l("This product is not in your cart."), "listing_id")
    return owned.pop()


def set_quantity(user_id: int | None, guest: dict | None, listing_id: int, quantity,
                 variant_id: int | None = None) -> dict | None:
    """Change a cart line's quantity (checked against stock now)."""
    quantity = check_quantity(quantity)
    if user_id is None:
        items = guest_items(guest)
        key = str(_line_variant_id(None, items, listing_id, variant_id))
        _check_stock(*_for_sale(listing_id, int(key)), quantity)
        items[key] = quantity
        return items
    with _cart_write():
        line_variant = _line_variant_id(user_id, None, listing_id, variant_id)
        item = _user_item(user_id, line_variant)
        if item is None:
            raise NotFound(_l("This product is not in your cart."), "listing_id")
        listing, variant = _for_sale(listing_id, line_variant)
        _check_stock(listing, variant, quantity)
        _save_user_item(user_id, listing.id, variant.id, quantity, item)
    return None


def remove_from_cart(user_id: int | None, guest: dict | None, listing_id: int,
                     variant_id: int | None = None) -> dict | None:
    """Take a line out of a cart; return the new guest cart (None for a signed-in user)."""
    if user_id is None:
        items = guest_items(guest)
        items.pop(str(_line_variant_id(None, items, listing_id, variant_id)))
        return items
    with write_transaction():
        line_variant = _line_variant_id(user_id, None, listing_id, variant_id)
        result = db.session.execute(delete(CartItem).where(CartItem.user_id == user_id,
                                                           CartItem.variant_id == line_variant))
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
            found = db.session.get(ListingVariant, int(key))
            try:
                listing, variant = _for_sale(found.listing_id if found else None, int(key))
            except DomainError:
                continue
            item = _user_item(user_id, variant.id)
            if item is None and _user_line_count(user_id) >= current_app.config["CART_MAX_LINES"]:
                break
            wanted = min((item.quantity if item else 0) + quantity, variant.stock, most)
            if wanted < 1:
                continue
            if item is None:
                db.session.add(CartItem(user_id=user_id, listing_id=listing.id, variant_id=variant.id,
                                        quantity=wanted))
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
            select(CartItem.variant_id, CartItem.quantity).where(CartItem.user_id == user_id)).all())
    variants = db.session.scalars(
        select(ListingVariant).where(ListingVariant.id.in_(quantities.keys()))
        .options(selectinload(ListingVariant.listing).selectinload(Listing.cooperative))
    ).all() if quantities else []
    if variants and release_expired_reservations({v.listing_id for v in variants}):
        db.session.expire_all()
    variants = sorted(variants, key=lambda v: (v.listing.cooperative_id, v.listing_id, v.position, v.id))
    parcels: dict[int, CartParcel] = {}
    for variant in variants:
        listing = variant.listing
        cooperative: Cooperative = listing.cooperative
        quantity = quantities[variant.id]
        parcel = parcels.setdefault(cooperative.id, CartParcel(cooperative.id, cooperative.name))
        parcel.lines.append(CartLine(
            listing_id=listing.id, variant_id=variant.id, title=listing.title, unit=variant.label,
            cooperative_id=cooperative.id, cooperative_name=cooperative.name,
            unit_price_minor=variant.price_minor, quantity=quantity, stock=variant.stock,
            problem=_line_problem(listing, variant, cooperative, quantity), title_en=listing.title_en or "",
        ))
    return CartView(list(parcels.values()))


def _line_problem(listing: Listing, variant: ListingVariant, cooperative: Cooperative, quantity: int) -> str | None:
    if variant.is_retired:
        return _("No longer for sale. Remove it from your cart.")
    if listing.status == ListingStatus.SOLD_OUT or (listing.status == ListingStatus.ACTIVE and variant.stock <= 0):
        return _("Sold out. Remove it from your cart.")
    if listing.status != ListingStatus.ACTIVE or not sells_now(cooperative):
        return _("No longer for sale. Remove it from your cart.")
    if quantity > variant.stock:
        return _("Only %(n)d left: lower the quantity.", n=variant.stock)
    return None


def _check_room(lines: int) -> None:
    if lines > current_app.config["CART_MAX_LINES"]:
        raise DomainError(_("A cart holds at most %(n)d products.", n=current_app.config["CART_MAX_LINES"]),
                         "listing_id")


def _user_item(user_id: int, variant_id: int) -> CartItem | None:
    return db.session.scalar(select(CartItem).where(CartItem.user_id == user_id, CartItem.variant_id == variant_id))


def _user_line_count(user_id: int) -> int:
    return len(db.session.scalars(select(CartItem.id).where(CartItem.user_id == user_id)).all())


def _save_user_item(user_id: int, listing_id: int, variant_id: int, quantity: int, item: CartItem | None) -> None:
    if item is None:
        db.session.add(CartItem(user_id=user_id, listing_id=listing_id, variant_id=variant_id, quantity=quantity))
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
