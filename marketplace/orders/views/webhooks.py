"""The Stripe webhook endpoint: verified by the gateway, acted on once by the order services."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from marketplace.extensions import csrf
from marketplace.orders.services.payments import receive_provider_event
from marketplace.payments import WebhookRejected, stripe_configured, stripe_provider

bp = Blueprint("orders_webhooks", __name__)


@bp.post("/payments/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    """Answer 400 to anything unsigned, stale or altered (changing nothing), 200 otherwise."""
    if not stripe_configured():
        abort(404)
    try:
        event = stripe_provider().verify_event(request.get_data(cache=False),
                                              request.headers.get("Stripe-Signature"))
    except WebhookRejected as error:
        current_app.logger.warning("Stripe webhook refused: %s", error)
        return jsonify(error=str(error)), 400
    outcome = receive_provider_event("stripe", event)
    current_app.logger.info("Stripe event %s (%s): %s", event.id, event.type, outcome)
    return jsonify(received=True, outcome=outcome)
