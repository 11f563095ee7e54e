"""What the product page shows for the size and province the shopper chose.

The size comes from `?size=<variant id>` (or the listing's first size on sale), the
province from `?province=` (a chooser on the page), else the shopper's last delivery
address, else none: then the page asks for one. Both are plain query values, so the
page stays one URL per choice and works without JavaScript.
"""
from __future__ import annotations

from dataclasses import dataclass

from marketplace.catalog.models import Listing, ListingVariant, live_variants
from marketplace.core.numbers import parse_int
from marketplace.core.regions import PROVINCE_NAMES
from marketplace.orders.services.destination import last_address
from marketplace.orders.services.delivery import DeliveryQuote, quote_delivery


@dataclass(frozen=True)
class ProductChoice:
    variants: list[ListingVariant]
    chosen: ListingVariant | None
    province: str | None
    #: Where the province came from: "chosen", "address" or None.
    province_source: str | None
    quote: DeliveryQuote | None


def product_choice(user, listing: Listing, args, remembered: str | None = None) -> ProductChoice:
    """Read the shopper's size and province; quote delivery of one unit of that size.

    `remembered` is the province the shopper chose before (on another product or the cart).
    """
    variants = live_variants(listing)
    wanted = parse_int(args.get("size"), minimum=1)
    chosen = next((v for v in variants if v.id == wanted), None)
    if chosen is None:
        chosen = next((v for v in variants if v.stock > 0), variants[0] if variants else None)
    province, source = args.get("province"), "chosen"
    if province not in PROVINCE_NAMES and remembered in PROVINCE_NAMES:
        province, source = remembered, "remembered"
    if province not in PROVINCE_NAMES:
        province, source = None, None
        if getattr(user, "is_authenticated", False):
            saved = last_address(user.id).get("province")
            if saved in PROVINCE_NAMES:
                province, source = saved, "address"
    quote = quote_delivery(listing, chosen, province) if province and chosen else None
    return ProductChoice(variants, chosen, province, source, quote)
