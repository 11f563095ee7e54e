"""Schemas of the public e-commerce index (Art. 16): months, a month's figures, metrics and cuts."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from marketplace.api.index_figures import METRIC_NAMES, PUBLIC_CUTS
from marketplace.insights.metrics import METRICS

STATUSES = ("published", "provisional")
#: Every unit a metric of the index is given in: a new metric's unit is documented with it.
UNITS = tuple(dict.fromkeys(metric.unit for metric in METRICS))


class MonthSchema(Schema):
    month = fields.String(required=True, metadata={"example": "2026-10"})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES), metadata={
        "description": "published: frozen, its figures never change again; provisional: recomputed until "
                       "it is published."})
    published_at = fields.DateTime(allow_none=True, required=True)
    computed_at = fields.DateTime(required=True)
    method_version = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "This month's figures in this API."})
    page_url = fields.String(required=True)
    csv_url = fields.String(required=True, metadata={"description": "The month's open-data file (CSV)."})
    json_url = fields.String(required=True, metadata={"description": "The month's open-data file (JSON)."})


class MonthListSchema(Schema):
    current_month = fields.String(required=True, metadata={"example": "2026-11"})
    items = fields.List(fields.Nested(MonthSchema), required=True)
    licence = fields.String(required=True)
    licence_url = fields.String(required=True)


class FigureSchema(Schema):
    metric = fields.String(required=True, validate=validate.OneOf(METRIC_NAMES))
    label = fields.String(required=True)
    theme = fields.String(required=True)
    unit = fields.String(required=True, validate=validate.OneOf(UNITS), metadata={
        "description": "fen: money in minor units (1/100 yuan); percent: 0 to 100; "
                       "per_thousand: per 1,000 orders."})
    cut = fields.String(required=True, validate=validate.OneOf(PUBLIC_CUTS), metadata={
        "description": "The cut (the open-data files' `dimension` column)."})
    key = fields.String(required=True, metadata={
        "description": "Province (Chinese name), county (code), GI product (slug), category, poverty "
                       "(lifted/other), destination province; empty for the whole site."})
    key_label = fields.String(required=True)
    item = fields.String(required=True, metadata={"description": "The word, for ranked word lists; empty otherwise."})
    value = fields.Float(allow_none=True, required=True, metadata={"description": "null when suppressed."})
    suppressed = fields.Boolean(required=True, metadata={
        "description": "true when too few cooperatives (or searches) stand behind the cell, or when it would "
                       "let a withheld sibling be subtracted out."})


class MonthFiguresSchema(MonthSchema):
    minimum_support = fields.Integer(required=True)
    licence = fields.String(required=True)
    licence_url = fields.String(required=True)
    figures = fields.List(fields.Nested(FigureSchema), required=True)


class MonthFiguresQuerySchema(Schema):
    metric = fields.String(validate=validate.OneOf(METRIC_NAMES), metadata={
        "description": "Only this metric (see /api/v1/insights/metrics); every metric when left out."})
    cut = fields.String(validate=validate.OneOf(PUBLIC_CUTS), metadata={
        "description": "Only this cut; every public cut when left out."})


class MetricSchema(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    theme = fields.String(required=True)
    theme_label = fields.String(required=True)
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))
    suppressed_below_minimum = fields.Boolean(required=True)


class CutSchema(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)


class MetricCatalogueSchema(Schema):
    metrics = fields.List(fields.Nested(MetricSchema), required=True)
    cuts = fields.List(fields.Nested(CutSchema), required=True)
    minimum_support = fields.Integer(required=True)
    method_url = fields.String(required=True)
