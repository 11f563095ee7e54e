"""Wiring of what happens after the sale: after-sales pages, sellers' notifications and the
counts in the navigation. `create_app` calls `init_app`; nothing is wired at import."""
from __future__ import annotations

from flask import Flask, g
from flask_login import current_user

_connected = False


def _seller_counts():
    """What waits for the signed-in seller, counted once per request (for the navigation)."""
    from marketplace.orders.services.seller_notices import seller_counts

    if not getattr(current_user, "is_authenticated", False) or not current_user.is_seller:
        return None
    if "seller_counts" not in g:
        g.seller_counts = seller_counts(current_user.cooperative_ids())
    return g.seller_counts


def init_app(app: Flask) -> None:
    global _connected
    from marketplace.orders.services import seller_notices
    from marketplace.orders.views import after_sale, after_sale_admin, after_sale_seller

    for blueprint in (after_sale.bp, after_sale_seller.bp, after_sale_admin.bp):
        app.register_blueprint(blueprint)
    if not _connected:  # blinker keeps handlers for the process; one app or many
        seller_notices.connect()
        _connected = True
    app.jinja_env.globals["seller_counts"] = _seller_counts

    from marketplace.orders.services.after_sale_queries import (
        KIND_LABELS,
        STATUS_LABELS,
    )

    app.jinja_env.globals["after_sale_status_label"] = lambda status: STATUS_LABELS.get(
        getattr(status, "value", status), status)
    app.jinja_env.globals["after_sale_kind_label"] = lambda kind: KIND_LABELS.get(getattr(kind, "value", kind), kind)
