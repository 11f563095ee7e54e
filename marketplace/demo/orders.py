"""Demo orders in every state, placed and moved along through the order services.

Runs after the catalog step (it buys the demo listings). Each demo order is known by its
buyer and the street of its address ("… · demo:<state>"), so running the step again
adds only the orders that are missing.
"""
from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog.models import Listing, ListingStatus, live_variants
from marketplace.cooperatives.models import Cooperative, CooperativeStatus, MemberRole, Membership
from marketplace.core.database import write_transaction
from marketplace.core.errors import DomainError
from marketplace.demo import money
from marketplace.extensions import db
from marketplace.orders.models import Order, ShippingFeeKind, ShippingRule
from marketplace.orders.services import cart, checkout, expiry, fulfilment, payments

BUYERS = ("consumer@terroir.demo", "consumer2@terroir.demo")

#: (state, buyer index, how many cooperatives, payment method)
PLANS = [
    ("waiting", 0, 2, "bank_transfer"),
    ("partly-paid", 1, 2, "bank_transfer"),
    ("paid", 0, 1, "cash_on_delivery"),
    ("shipped", 1, 2, "bank_transfer"),
    ("delivered", 0, 1, "bank_transfer"),
    ("completed", 0, 2, "cash_on_delivery"),
    ("cancelled", 1, 1, "bank_transfer"),
    ("expired", 0, 1, "bank_transfer"),
    ("refunded", 1, 1, "bank_transfer"),
    ("partly-refunded", 0, 2, "bank_transfer"),
]

ADDRESSES = [
    {"recipient": "周静", "mobile": "13812345678", "province": "上海市", "city": "上海市", "county": "徐汇区"},
    {"recipient": "Alex Chen", "mobile": "15900001234", "province": "广东省", "city": "深圳市", "county": "南山区"},
]

#: Shipping rules some demo cooperatives set, by the county code of the cooperative.
RULES = {
    "330106": (ShippingFeeKind.FLAT, 1200, 29900, ["西藏自治区", "新疆维吾尔自治区"]),
    "230184": (ShippingFeeKind.PER_KG, 300, None, []),
    "350524": (ShippingFeeKind.PER_ITEM, 500, 19900, ["台湾省", "香港特别行政区", "澳门特别行政区"]),
}


def load() -> None:
    """Add the demo orders that are missing (needs the catalog step's listings)."""
    buyers = [db.session.scalar(select(User).where(User.email == email)) for email in BUYERS]
    by_cooperative = _listings_by_cooperative()
    if None in buyers or len(by_cooperative) < 2:
        click.echo("  No demo listings (or buyers) yet: skipping demo orders. Run the catalog step first.")
        return
    _shipping_rules()
    created = 0
    with current_app.test_request_context("/"), \
            click.progressbar(PLANS, label="Orders", show_pos=True) as bar:
        for state, buyer_index, cooperatives, method in bar:
            buyer = buyers[buyer_index]
            street = f"演示路 {PLANS.index((state, buyer_index, cooperatives, method)) + 1} 号 · demo:{state}"
            exists = db.session.scalar(select(Order.id).where(Order.buyer_id == buyer.id, Order.street == street))
            if exists:
                continue
            listings = _pick(by_cooperative, cooperatives, state)
            if not listings:
                continue
            order_id = _place(buyer, listings, method, dict(ADDRESSES[buyer_index], street=street),
                              money.invoice_at_checkout(state))
            if order_id is not None:
                _move_to(state, order_id, buyer)
                created += 1
        money.load_invoice_request(buyers[0])
    click.echo(f"  {created} new demo orders")


def _listings_by_cooperative() -> dict[int, list[Listing]]:
    rows = db.session.scalars(
        select(Listing).join(Cooperative, Cooperative.id == Listing.cooperative_id)
        .where(Listing.status == ListingStatus.ACTIVE, Listing.stock >= 4,
               Cooperative.status != CooperativeStatus.SUSPENDED,
               # Orders moved along at any day of the week: no ship-day or pre-sale listings.
               Listing.ship_weekdays == "", Listing.presale_ships_from.is_(None))
        .order_by(Listing.cooperative_id, Listing.id)
    ).all()
    grouped: dict[int, list[Listing]] = {}
    for listing in rows:
        grouped.setdefault(listing.cooperative_id, []).append(listing)
    return grouped


def _pick(by_cooperative, count: int, state: str) -> list[Listing]:
    cooperative_ids = sorted(by_cooperative)
    start = sum(map(ord, state)) % len(cooperative_ids)
    chosen = [cooperative_ids[(start + step) % len(cooperative_ids)] for step in range(count)]
    return [by_cooperative[cooperative_id][sum(map(ord, state)) % len(by_cooperative[cooperative_id])]
            for cooperative_id in dict.fromkeys(chosen)]


def _shipping_rules() -> None:
    with write_transaction():
        for cooperative in db.session.scalars(select(Cooperative)):
            terms = RULES.get(cooperative.county_code)
            if terms is None or db.session.scalar(select(ShippingRule.id).where(
                    ShippingRule.cooperative_id == cooperative.id)):
                continue
            kind, fee, free_above, excluded = terms
            db.session.add(ShippingRule(cooperative_id=cooperative.id, kind=kind, fee_minor=fee,
                                        free_above_minor=free_above, excluded_provinces=excluded))


def _place(buyer: User, listings: list[Listing], method: str, address: dict, invoice: dict | None = None) -> int | None:

    try:
        for listing in listings:
            size = max(live_variants(listing), key=lambda variant: variant.stock)
            cart.add_to_cart(buyer.id, None, listing.id, 1 + listing.id % 2, size.id)
        return checkout.place_order(buyer, address, method, invoice=invoice).order_id
    except DomainError as error:
        click.echo(f"\n  Skipped a demo order: {error}")
        return None


def _owner_of(cooperative_id: int) -> User:
    return db.session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.cooperative_id == cooperative_id, Membership.role == MemberRole.OWNER))


def _move_to(state: str, order_id: int, buyer: User) -> None:
    order = db.session.get(Order, order_id)
    parts = [(sub.id, _owner_of(sub.cooperative_id)) for sub in order.sub_orders]
    if state == "waiting":
        return
    if state == "expired":
        with write_transaction():
            order.reserved_until = order.placed_at - timedelta(minutes=1)
        expiry.expire_order(order_id)
        return
    if state == "cancelled":
        fulfilment.cancel_by_buyer(buyer, order_id)
        return
    for index, (part_id, seller) in enumerate(parts):
        if state == "partly-paid" and index > 0:
            return
        payments.confirm_offline_payment(seller, part_id)
    if state in ("paid", "partly-paid"):
        return
    if state == "refunded":
        fulfilment.cancel_by_buyer(buyer, order_id)
        return
    if state == "partly-refunded":
        part_id, seller = parts[-1]
        fulfilment.cancel_by_seller(seller, part_id, "演示：这批货受潮，无法发货。Demo: this lot got damp.")
        return
    for index, (part_id, seller) in enumerate(parts):
        fulfilment.ship(seller, part_id, ("sf", "ems", "jd")[index % 3], f"DEMO{order_id:06d}{index}")
        if state in ("delivered", "completed"):
            fulfilment.mark_delivered(seller, part_id)
        if state == "completed":
            fulfilment.confirm_receipt(buyer, order_id, part_id)
