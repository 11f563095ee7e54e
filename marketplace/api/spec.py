"""The API object that documents every endpoint: an OpenAPI 3.1 document built from the code.

flask-smorest (apispec and marshmallow) writes the document from the schemas and
decorators of the views, so it cannot drift from what the endpoints do. The site keeps its
own error pages: the API's errors are problem details (core/problems.py), rendered by the
API's blueprints, so smorest's app-wide error handler is left out.
"""
from __future__ import annotations

import http

from flask_smorest import Api
from flask_smorest.utils import prepare_response

from marketplace.api.schemas_common import ProblemSchema
from marketplace.core.problems import MEDIA_TYPE

BEARER = "bearerAuth"


class TerroirApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Leave the site's error pages alone; API blueprints answer problems themselves."""

    def _register_responses(self):
        """Document every error response as problem details (application/problem+json)."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as problem details.", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


api = TerroirApi()

SETTINGS = {
    "API_TITLE": "Terroir API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {"description": (
            "Facts of the Terroir marketplace as data: trace-code verification, the GI "
            "register, listings and cooperatives (public, read-only, rate-limited); stock, "
            "price and shipments for a cooperative's systems; an export for the regulator. "
            "Errors are RFC 9457 problem details; titles and details follow Accept-Language "
            "(zh or en).")},
        "servers": [{"url": "/"}],
        "components": {"securitySchemes": {BEARER: {
            "type": "http", "scheme": "bearer",
            "description": "An API token made on the seller's (or supervisor's) API tokens page."}}},
    },
}
