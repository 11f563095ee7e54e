"""Payment providers: offline (bank transfer, cash on delivery) and Stripe.

This package knows nothing of orders: it is handed amounts and references, and says what
happened. `provider_for` picks a provider by name, configured from the app's settings.
"""
from __future__ import annotations

from flask import current_app

from marketplace.payments.base import (  # noqa: F401
    CheckoutRequest,
    CheckoutStart,
    LineItem,
    PaymentProviderError,
    ProviderEvent,
    RefundResult,
    WebhookRejected,
)
from marketplace.payments.offline import OFFLINE_METHODS, OfflineProvider  # noqa: F401


def stripe_configured(config=None) -> bool:
    """Stripe is used only when both its secret key and webhook secret are set."""
    config = config if config is not None else current_app.config
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_WEBHOOK_SECRET"))


def stripe_provider():
    """Return the Stripe gateway configured from the app's settings."""
    from marketplace.payments.stripe_gateway import StripeGateway

    return StripeGateway.from_config(current_app.config)


def provider_for(name: str):
    """Return the provider called `name` ("stripe" or "offline")."""
    if name == "stripe":
        return stripe_provider()
    if name == "offline":
        return OfflineProvider()
    raise KeyError(name)
