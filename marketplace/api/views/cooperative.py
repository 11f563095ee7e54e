"""Endpoints for a cooperative's own systems, with a token of that cooperative.

Read tokens list listings and parcels; write tokens also change stock and price and record
shipments. Another cooperative's listing or parcel answers 404, as if it did not exist.
"""
from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from marketplace.api import presenters, seller
from marketplace.api.auth import current_token, token_required
from marketplace.api.schemas_common import ProblemSchema
from marketplace.core.problems import MEDIA_TYPE
from marketplace.api.http import install_problem_handlers
from marketplace.api.models import TokenScope
from marketplace.api.schemas_common import PageQuerySchema
from marketplace.api.schemas_private import (
    ListingUpdateSchema,
    OrdersQuerySchema,
    SellerListingPageSchema,
    SellerListingSchema,
    ShipmentSchema,
    SubOrderPageSchema,
    SubOrderSchema,
)
from marketplace.certification.services.badge import badge_for, badges_for
from marketplace.core.i18n import current_language
from marketplace.orders.services.lifecycle import order_number
from marketplace.core.timeutil import as_utc

blp = Blueprint("api_cooperative", __name__, url_prefix="/api/v1/cooperative",
                description="A cooperative's own listings and parcels, with its API token.")
install_problem_handlers(blp)


def _per_page(asked: int | None) -> int:
    return min(asked or current_app.config["API_PAGE_SIZE"], current_app.config["API_MAX_PAGE_SIZE"])


def page_info(page: int, per_page: int, total: int) -> dict:
    return {"page": page, "per_page": per_page, "total": total, "pages": -(-total // per_page)}


def _listing(listing, listing_badge) -> dict:
    return {
        **presenters.listing_fields(listing, listing_badge, current_language()),
        "units_sold": listing.units_sold, "weight_grams": listing.weight_grams,
        "batch_id": listing.batch_id, "updated_at": as_utc(listing.updated_at),
    }


def _parcel(sub) -> dict:
    order = sub.order
    return {
        "id": sub.id, "order_number": order_number(order.id), "status": sub.status.value,
        "placed_at": as_utc(order.placed_at), "paid_at": as_utc(sub.paid_at),
        "payment_method": order.payment_method.value, "items_minor": sub.items_minor,
        "shipping_minor": sub.shipping_minor, "total_minor": sub.total_minor, "currency": order.currency,
        "lines": [{"listing_id": line.listing_id, "variant": "default", "title": line.title, "unit": line.unit,
                   "unit_price_minor": line.unit_price_minor, "quantity": line.quantity,
                   "line_total_minor": line.line_total_minor} for line in sub.lines],
        "ship_to": {"recipient": order.recipient, "mobile": order.mobile, "province": order.province,
                    "city": order.city, "county": order.county, "street": order.street},
        "carrier": sub.carrier, "tracking_number": sub.tracking_number, "shipped_at": as_utc(sub.shipped_at),
    }


@blp.route("/listings", methods=["GET"])
@token_required(blp, TokenScope.READ)
@blp.arguments(PageQuerySchema, location="query")
@blp.response(200, SellerListingPageSchema)
def listings(args):
    """The cooperative's listings (every status), oldest first, with price, stock and badge."""
    per_page = _per_page(args["per_page"])
    rows, total = seller.listings_page(current_token(), args["page"], per_page)
    badges = badges_for(rows)
    return {"items": [_listing(row, badges[row.id]) for row in rows], **page_info(args["page"], per_page, total)}


@blp.route("/listings/<int:listing_id>", methods=["GET"])
@token_required(blp, TokenScope.READ)
@blp.response(200, SellerListingSchema)
@blp.alt_response(404, schema=ProblemSchema, content_type=MEDIA_TYPE, description="Not a listing of this token's cooperative.")
def listing(listing_id: int):
    """One of the cooperative's listings."""
    row = seller.listing_of(current_token(), listing_id)
    return _listing(row, badge_for(row))


@blp.route("/listings/<int:listing_id>", methods=["PATCH"])
@token_required(blp, TokenScope.WRITE)
@blp.arguments(ListingUpdateSchema)
@blp.response(200, SellerListingSchema)
@blp.alt_response(404, schema=ProblemSchema, content_type=MEDIA_TYPE, description="Not a listing of this token's cooperative.")
def update_listing(changes, listing_id: int):
    """Set the price and/or stock of a listing, under the seller form's rules.

    The batch's mass balance, protected names and the rules of going live apply as on the
    seller's listing form; a refusal names the field.
    """
    row = seller.update_stock_and_price(current_token(), listing_id, **changes)
    return _listing(row, badge_for(row))


@blp.route("/orders", methods=["GET"])
@token_required(blp, TokenScope.READ)
@blp.arguments(OrdersQuerySchema, location="query")
@blp.response(200, SubOrderPageSchema)
def orders(args):
    """The cooperative's parcels by status (to_ship by default), newest first."""
    per_page = _per_page(args["per_page"])
    rows, total = seller.parcels_page(current_token(), args["status"], args["page"], per_page)
    return {"items": [_parcel(row) for row in rows], **page_info(args["page"], per_page, total)}


@blp.route("/orders/<int:sub_order_id>/shipment", methods=["POST"])
@token_required(blp, TokenScope.WRITE)
@blp.arguments(ShipmentSchema)
@blp.response(200, SubOrderSchema)
@blp.alt_response(404, schema=ProblemSchema, content_type=MEDIA_TYPE, description="Not a parcel of this token's cooperative.")
@blp.alt_response(409, schema=ProblemSchema, content_type=MEDIA_TYPE, description="The parcel is not paid yet, or already left.")
def ship(shipment, sub_order_id: int):
    """Mark a paid parcel shipped, with its carrier and tracking number; the buyer is told."""
    sub = seller.ship(current_token(), sub_order_id, shipment["carrier"], shipment["tracking_number"])
    return _parcel(sub)
