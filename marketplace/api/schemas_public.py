"""Schemas of the public, read-only endpoints: verify, the GI register, listings, cooperatives."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from marketplace.api.schemas_common import (
    BadgeSchema,
    CooperativeBriefSchema,
    CountySchema,
    ListingFieldsSchema,
    PageInfoFields,
)
from marketplace.search.query import SORTS


class VerifyQuerySchema(Schema):
    scan = fields.Boolean(load_default=False, metadata={"description": (
        "true when a person just scanned the package with a scanner app: the check then counts, "
        "under the verify page's rules (once per client and day, never the batch code, never bots). "
        "Leave it out for look-ups that nobody is looking at (they count nothing).")})


class CheckRecordSchema(Schema):
    count = fields.Integer(required=True)
    first_at = fields.DateTime(allow_none=True, required=True)
    first_place = fields.String(required=True)
    last_at = fields.DateTime(allow_none=True, required=True)
    last_place = fields.String(required=True)
    counted_now = fields.Boolean(required=True)
    checked_before = fields.Boolean(required=True)


class StateSchema(Schema):
    number = fields.String(allow_none=True, required=True)
    status = fields.String(required=True)
    valid_from = fields.DateTime(allow_none=True, required=True)
    valid_until = fields.DateTime(allow_none=True, required=True)


class CertificateStateSchema(StateSchema):
    standard_version = fields.String(required=True)


class FindingSchema(Schema):
    field = fields.String(required=True)
    expected = fields.String(required=True)
    actual = fields.String(required=True)
    passed = fields.Boolean(required=True)
    severity = fields.String(required=True)
    message = fields.String(required=True)


class VerifiedBatchSchema(Schema):
    harvest_date = fields.Date(allow_none=True, required=True)
    grown_in = fields.Nested(CountySchema, allow_none=True, required=True)
    grade = fields.String(allow_none=True, required=True)
    variety = fields.String(allow_none=True, required=True)
    size_kg = fields.Float(allow_none=True, required=True)


class RecallSchema(Schema):
    at = fields.DateTime(required=True)
    notice = fields.String(required=True)
    by = fields.String(required=True)


class VerificationSchema(Schema):
    code = fields.String(required=True)
    is_batch_code = fields.Boolean(required=True)
    package = fields.Integer(allow_none=True, required=True)
    gi_product = fields.String(required=True)
    gi_product_name = fields.String(required=True)
    badge = fields.Nested(BadgeSchema, required=True)
    certificate = fields.Nested(CertificateStateSchema, required=True)
    authorization = fields.Nested(StateSchema, allow_none=True, required=True)
    authorization_status = fields.String(required=True)
    cooperative = fields.Nested(CooperativeBriefSchema, required=True)
    batch = fields.Nested(VerifiedBatchSchema, required=True)
    checks = fields.Nested(CheckRecordSchema, required=True)
    too_many_checks = fields.Boolean(required=True)
    warnings = fields.List(fields.String(), required=True)
    recall = fields.Nested(RecallSchema, allow_none=True, required=True)
    findings = fields.List(fields.Nested(FindingSchema), required=True)
    page_url = fields.String(required=True)


class LocalizedNameSchema(Schema):
    zh = fields.String(required=True)
    en = fields.String(required=True)


class GIProductSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    names = fields.Nested(LocalizedNameSchema, required=True)
    category = fields.String(required=True)
    standard_code = fields.String(required=True)
    version = fields.Integer(required=True)
    provinces = fields.List(fields.String(), required=True)
    counties_wholly_inside = fields.Integer(required=True)
    counties_partly_inside = fields.Integer(required=True)
    url = fields.String(required=True)


class GIProductListSchema(Schema):
    items = fields.List(fields.Nested(GIProductSchema), required=True)


class RegisterQuerySchema(Schema):
    category = fields.String(load_default="", validate=validate.Length(max=40))


class StandardVersionSchema(Schema):
    version = fields.Integer(required=True)
    code = fields.String(required=True)
    published_at = fields.DateTime(required=True)
    is_current = fields.Boolean(required=True)


class AreaCountySchema(CountySchema):
    partial = fields.Boolean(required=True)


class AuthorizedCooperativeSchema(Schema):
    cooperative = fields.Nested(CooperativeBriefSchema, required=True)
    authorization = fields.Nested(StateSchema, required=True)
    certificates = fields.List(fields.Nested(StateSchema), required=True)


class GIProductDetailSchema(GIProductSchema):
    versions = fields.List(fields.Nested(StandardVersionSchema), required=True)
    area = fields.List(fields.Nested(AreaCountySchema), required=True)
    cooperatives = fields.List(fields.Nested(AuthorizedCooperativeSchema), required=True)


class SearchQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=500))
    gi = fields.String(load_default="", validate=validate.Length(max=80))
    province = fields.String(load_default="", validate=validate.Length(max=60))
    county = fields.String(load_default="", validate=validate.Regexp(r"^(\d{6})?$"))
    category = fields.String(load_default="", validate=validate.Length(max=20))
    certified = fields.Boolean(load_default=False)
    price = fields.String(load_default="", metadata={"description": "A price band key from the `price` facet."},
                          validate=validate.Length(max=40))
    sort = fields.String(load_default="relevance", validate=validate.OneOf(sorted(SORTS)))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class ListingSummarySchema(ListingFieldsSchema):
    category_name = fields.String(required=True)
    available = fields.Boolean(required=True)
    cooperative = fields.Nested(CooperativeBriefSchema, required=True)
    url = fields.String(required=True)


class FacetValueSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class SearchResultSchema(Schema):
    status = fields.String(required=True, metadata={
        "description": "results, empty (nothing asked), or no_words (nothing searchable in q)."})
    query = fields.String(required=True)
    suggestion = fields.String(allow_none=True, required=True)
    widened = fields.Boolean(required=True)
    sort = fields.String(required=True)
    page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)), required=True)
    items = fields.List(fields.Nested(ListingSummarySchema), required=True)


class PhotoSchema(Schema):
    url = fields.String(required=True)
    thumbnail_url = fields.String(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)


class ListedBatchSchema(Schema):
    gi_product = fields.String(required=True)
    gi_product_name = fields.String(required=True)
    harvest_date = fields.Date(allow_none=True, required=True)
    grown_in = fields.Nested(CountySchema, allow_none=True, required=True)
    grade = fields.String(allow_none=True, required=True)
    variety = fields.String(allow_none=True, required=True)
    validation_passed = fields.Boolean(required=True)


class ListingDetailSchema(ListingSummarySchema):
    description = fields.String(required=True)
    photos = fields.List(fields.Nested(PhotoSchema), required=True)
    units_sold = fields.Integer(required=True)
    updated_at = fields.DateTime(required=True)
    batch = fields.Nested(ListedBatchSchema, allow_none=True, required=True)


class CooperativeAuthorizationSchema(StateSchema):
    gi_product = fields.String(required=True)
    gi_product_name = fields.String(required=True)


class CooperativeDetailSchema(PageInfoFields):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True)
    county = fields.Nested(CountySchema, required=True)
    description = fields.String(required=True)
    address = fields.String(required=True)
    phone = fields.String(required=True)
    authorizations = fields.List(fields.Nested(CooperativeAuthorizationSchema), required=True)
    listings = fields.List(fields.Nested(ListingSummarySchema), required=True)
    url = fields.String(required=True)


class CooperativeQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
