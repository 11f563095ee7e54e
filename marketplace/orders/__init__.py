"""Cart, checkout, stock reservations, orders split by cooperative, shipping and payment events."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Shoppers' and sellers' order pages, the payment webhook, the cart kept at sign-in, `flask orders`,
    statements, invoices, pickup points and what happens after the sale."""
    # The area's modules are imported here, when the app is built, and not at the top of
    # this package: a lower area importing one of its models must not load its pages.
    from marketplace.orders import after_sale_setup, cli, guest_cart, labels
    from marketplace.orders.services.cart_count import current_cart_count
    from marketplace.orders.services.sales import units_sold_of
    from marketplace.orders.views import invoices, pickup, public, seller, statements, webhooks

    for audience in (public, seller, pickup, webhooks, statements, invoices):
        app.register_blueprint(audience.bp)
    # Callables: asked for by the header and the cards that show them, not on other pages.
    app.context_processor(lambda: {**labels.template_helpers(), "cart_count": current_cart_count,
                                   "units_sold": units_sold_of})
    guest_cart.connect()
    app.cli.add_command(cli.orders_cli)
    after_sale_setup.init_app(app)
