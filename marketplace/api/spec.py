"""The API object that documents every endpoint: an OpenAPI 3.1 document built from the code.

flask-smorest (apispec and marshmallow) writes the document from the schemas and
decorators of the views, so it cannot drift from what the endpoints do. The site keeps its
own error pages: the API's errors are problem details (core/problems.py), rendered by the
API's blueprints, so smorest's app-wide error handler is left out.
"""
from __future__ import annotations

import http
import threading

from flask_smorest import Api
from flask_smorest.utils import prepare_response

from marketplace.api.schemas_common import ProblemSchema
from marketplace.core.problems import MEDIA_TYPE

BEARER = "bearerAuth"


class TerroirApi(Api):
    """The API, whose OpenAPI document is written when it is first asked for.

    flask-smorest documents each blueprint's views as the blueprint is registered: resolving
    every schema was a fifth of building the app (bench/startup.py), paid by every worker,
    command and test, while the document is read only by `/api/v1/openapi.json` and the docs
    page. The routes are registered at once; their documentation waits for `spec`.
    """

    ERROR_SCHEMA = ProblemSchema

    def init_app(self, app, *, spec_kwargs=None):
        self._undocumented = []
        self._documenting = threading.Lock()  # two first readers must not each write half
        super().init_app(app, spec_kwargs=spec_kwargs)

    def register_blueprint(self, blp, *, parameters=None, **options):
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    @property
    def spec(self):
        """The OpenAPI document, with every registered blueprint's views written in."""
        if getattr(self, "_undocumented", None):
            with self._documenting:
                while self._undocumented:
                    blp, name, parameters = self._undocumented[0]
                    blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                    self._spec.tag({"name": name, "description": blp.description})
                    self._undocumented.pop(0)
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

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
