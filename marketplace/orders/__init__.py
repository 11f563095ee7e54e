"""Cart, checkout, stock reservations, orders split by cooperative, shipping and payment events."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Shoppers' and sellers' order pages, the payment webhook, the cart kept at sign-in, `flask orders`."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.orders import cli, guest_cart, labels
    from marketplace.orders.views import public, seller, webhooks

    for audience in (public, seller, webhooks):
        app.register_blueprint(audience.bp)
    app.context_processor(labels.template_helpers)
    guest_cart.connect()
    app.cli.add_command(cli.orders_cli)
