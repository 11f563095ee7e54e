"""Schemas of the token endpoints: a cooperative's listings and orders, the regulator's export."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from marketplace.api.schemas_common import ListingFieldsSchema, PageInfoFields, PageQuerySchema
from marketplace.orders.services.fulfilment import CARRIERS
from marketplace.orders.services.queries import SELLER_FILTERS


class SellerListingSchema(ListingFieldsSchema):
    units_sold = fields.Integer(required=True)
    weight_grams = fields.Integer(allow_none=True, required=True)
    batch_id = fields.Integer(allow_none=True, required=True)
    updated_at = fields.DateTime(required=True)


class SellerListingPageSchema(PageInfoFields):
    items = fields.List(fields.Nested(SellerListingSchema), required=True)


class ListingUpdateSchema(Schema):
    """New price and/or stock of a listing (its one variant).

    `stock` alone sets the stock to that figure. With `stock_seen` (the stock your system
    last read) the change is applied relative to it, as the seller's form does, so orders
    placed in between are never undone.
    """

    class Meta:
        unknown = RAISE

    price_minor = fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1),
                                 metadata={"description": "Price of one unit in fen (minor units)."})
    stock = fields.Integer(strict=True, validate=validate.Range(min=0, max=2**31 - 1))
    stock_seen = fields.Integer(strict=True, validate=validate.Range(min=0, max=2**31 - 1))

    @validates_schema
    def _something_to_change(self, data, **kwargs):
        if "price_minor" not in data and "stock" not in data:
            raise ValidationError("Send price_minor, stock or both.", "_schema")
        if "stock_seen" in data and "stock" not in data:
            raise ValidationError("stock_seen goes with stock.", "stock_seen")


class OrdersQuerySchema(PageQuerySchema):
    status = fields.String(load_default="to_ship", validate=validate.OneOf(sorted(SELLER_FILTERS)))


class OrderLineSchema(Schema):
    listing_id = fields.Integer(required=True)
    variant = fields.String(required=True)
    title = fields.String(required=True)
    unit = fields.String(required=True)
    unit_price_minor = fields.Integer(required=True)
    quantity = fields.Integer(required=True)
    line_total_minor = fields.Integer(required=True)


class ShipToSchema(Schema):
    recipient = fields.String(required=True)
    mobile = fields.String(required=True)
    province = fields.String(required=True)
    city = fields.String(required=True)
    county = fields.String(required=True)
    street = fields.String(required=True)


class SubOrderSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The parcel's id (a sub-order)."})
    order_number = fields.String(required=True)
    status = fields.String(required=True)
    placed_at = fields.DateTime(required=True)
    paid_at = fields.DateTime(allow_none=True, required=True)
    payment_method = fields.String(required=True)
    items_minor = fields.Integer(required=True)
    shipping_minor = fields.Integer(required=True)
    total_minor = fields.Integer(required=True)
    currency = fields.String(required=True)
    lines = fields.List(fields.Nested(OrderLineSchema), required=True)
    ship_to = fields.Nested(ShipToSchema, required=True)
    carrier = fields.String(allow_none=True, required=True)
    tracking_number = fields.String(allow_none=True, required=True)
    shipped_at = fields.DateTime(allow_none=True, required=True)


class SubOrderPageSchema(PageInfoFields):
    items = fields.List(fields.Nested(SubOrderSchema), required=True)


class ShipmentSchema(Schema):
    class Meta:
        unknown = RAISE

    carrier = fields.String(required=True, validate=validate.OneOf([code for code, _zh, _en in CARRIERS]))
    tracking_number = fields.String(required=True, validate=validate.Length(min=1, max=60))


class ExportQuerySchema(PageQuerySchema):
    pass


def export_page_schema(name: str, item_fields: dict) -> type[Schema]:
    """A page of one export dataset, its rows with `item_fields`."""
    item = Schema.from_dict(item_fields, name=f"Export{name}Row")
    return type(f"Export{name}Page", (PageInfoFields,), {
        "dataset": fields.String(required=True), "items": fields.List(fields.Nested(item), required=True)})
