"""The cooperative's dashboard: its batches, listings and stock, under /seller/."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The cooperative's pages: dashboard, batches, listings."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.seller import views
    from marketplace.seller.views import batches, dashboard, listings  # noqa: F401  (their pages join the blueprint)

    app.register_blueprint(views.bp)
