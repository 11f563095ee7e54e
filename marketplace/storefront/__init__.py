"""Public pages: home, product, cooperative, standards catalogue."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The public pages and the standards catalogue's pages."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.storefront.views import public, standards

    app.register_blueprint(public.bp)
    app.register_blueprint(standards.bp)
