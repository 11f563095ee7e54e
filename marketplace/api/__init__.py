"""JSON API v1 with its OpenAPI document: the top layer, reading every area, imported by none."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Document and register the API's blueprints, the docs page and the token pages."""
    from marketplace.api import spec
    from marketplace.api.views import cooperative, docs, export, index, public, token_pages
    from marketplace.extensions import csrf

    for key, value in spec.SETTINGS.items():
        app.config.setdefault(key, value)
    spec.api.init_app(app)
    for blueprint in (public.blp, index.blp, cooperative.blp, export.blp):
        # Token calls are checked in auth.token_required (CSRF too, when no token comes).
        csrf.exempt(blueprint)
        spec.api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
    app.register_blueprint(token_pages.bp)
