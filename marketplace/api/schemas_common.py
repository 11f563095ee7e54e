"""Schemas every part of the API shares: problems, pages, badges, money, variants, listings."""
from __future__ import annotations

from marshmallow import Schema, fields, validate


class ProblemSchema(Schema):
    """RFC 9457 problem details: `type` is stable, `title` and `detail` are for people."""

    type = fields.String(required=True, metadata={"example": "/api/v1/problems/not-found"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String()
    #: Field name -> messages, for invalid input (by location for query strings and bodies).
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=None, validate=validate.Range(min=1, max=500))


class PageInfoFields(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class BadgeSchema(Schema):
    """The GI badge as the one badge rule decides it at the moment of the answer."""

    state = fields.String(required=True, validate=validate.OneOf(["certified", "awaiting_certification", "none"]))
    shown = fields.Boolean(required=True)
    gi_product = fields.String(allow_none=True, required=True)
    gi_product_name = fields.String(allow_none=True, required=True)
    trace_code = fields.String(allow_none=True, required=True)
    certificate_number = fields.String(allow_none=True, required=True)
    certificate_valid_until = fields.DateTime(allow_none=True, required=True)
    authorization_number = fields.String(allow_none=True, required=True)
    withdrawn_because = fields.String(allow_none=True, required=True)


class VariantSchema(Schema):
    """One thing to buy under a listing: its unit, price and stock.

    A listing has one variant today (its own unit, price and stock); listings with
    several sizes will list each here, with the same fields.
    """

    key = fields.String(required=True, metadata={"example": "default"})
    unit = fields.String(required=True)
    price_minor = fields.Integer(required=True, metadata={"description": "Price in fen (minor units)."})
    currency = fields.String(required=True, metadata={"example": "CNY"})
    stock = fields.Integer(required=True)
    weight_grams = fields.Integer(allow_none=True, required=True)
    available = fields.Boolean(required=True)


class CountySchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    province = fields.String(required=True)


class CooperativeBriefSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    county = fields.Nested(CountySchema, required=True)


class ListingFieldsSchema(Schema):
    """What every answer about a listing says, to its cooperative's systems and to the public alike."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    category = fields.String(required=True)
    price_minor = fields.Integer(required=True)
    currency = fields.String(required=True)
    unit = fields.String(required=True)
    stock = fields.Integer(required=True)
    badge = fields.Nested(BadgeSchema, required=True)
    variants = fields.List(fields.Nested(VariantSchema), required=True)
