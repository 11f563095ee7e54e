"""The Stripe gateway: the only module of the application that talks to the Stripe SDK.

Hosted Checkout Sessions take the payment; signed webhooks say what happened. Everything
here takes and returns plain values (see payments.base), so the order services never see
a Stripe object, and tests point the SDK at a local emulator with STRIPE_API_BASE.
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import stripe
from flask_babel import lazy_gettext as _l

from marketplace.payments.base import (
    CheckoutRequest,
    CheckoutStart,
    PaymentProviderError,
    ProviderEvent,
    RefundResult,
    WebhookRejected,
)

#: Stripe accepts a Checkout Session expiry between 30 minutes and 24 hours after creation;
#: the margins absorb the time the request takes to arrive.
SESSION_MIN_LIFETIME = timedelta(minutes=30, seconds=90)
SESSION_MAX_LIFETIME = timedelta(hours=24) - timedelta(seconds=90)

_UNREACHABLE = _l("The payment service could not be reached. Please try again in a moment.")


def clamp_session_expiry(wanted: datetime, now: datetime | None = None) -> datetime:
    """Return the expiry closest to `wanted` that Stripe accepts for a new session."""
    now = now or datetime.now(timezone.utc)
    if wanted.tzinfo is None:
        wanted = wanted.replace(tzinfo=timezone.utc)
    return min(max(wanted, now + SESSION_MIN_LIFETIME), now + SESSION_MAX_LIFETIME)


class StripeGateway:
    name = "stripe"

    def __init__(self, secret_key: str, *, webhook_secret: str | None = None, api_base: str | None = None,
                 payment_methods=("card",), webhook_tolerance: int = 300, network_retries: int = 0,
                 connect_timeout: float = 3.0, read_timeout: float = 8.0):
        self.secret_key = secret_key
        self.webhook_secret = webhook_secret
        self.api_base = api_base
        self.payment_methods = tuple(method.strip() for method in payment_methods if method.strip())
        self.webhook_tolerance = max(1, int(webhook_tolerance))
        self.network_retries = max(0, int(network_retries))
        #: Every call waits at most this long to connect and for each read: a Stripe that
        #: hangs costs the shopper seconds, and the order keeps its "Pay now" button.
        self.timeouts = (float(connect_timeout), float(read_timeout))

    @classmethod
    def from_config(cls, config) -> "StripeGateway":
        """Build the gateway from a Flask config mapping."""
        return cls(
            config["STRIPE_SECRET_KEY"],
            webhook_secret=config.get("STRIPE_WEBHOOK_SECRET"),
            api_base=config.get("STRIPE_API_BASE"),
            payment_methods=config.get("STRIPE_PAYMENT_METHODS", ("card",)),
            webhook_tolerance=config.get("STRIPE_WEBHOOK_TOLERANCE", 300),
            network_retries=config.get("STRIPE_NETWORK_RETRIES", 0),
            connect_timeout=config.get("STRIPE_CONNECT_TIMEOUT", 3.0),
            read_timeout=config.get("STRIPE_READ_TIMEOUT", 8.0),
        )

    def _client(self) -> stripe.StripeClient:
        """Build a client from this gateway's settings (never from module-level globals)."""
        addresses = {"api": self.api_base.rstrip("/")} if self.api_base else None
        return stripe.StripeClient(self.secret_key, base_addresses=addresses,
                                   max_network_retries=self.network_retries,
                                   http_client=stripe.RequestsClient(timeout=self.timeouts))

    # -- checkout -------------------------------------------------------------------------

    def start_checkout(self, request: CheckoutRequest) -> CheckoutStart:
        """Create (or, for the same idempotency key, find again) a hosted Checkout Session."""
        expires_at = clamp_session_expiry(request.expires_at)
        params: dict = {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": line.unit_amount_minor,
                        "product_data": {"name": line.name[:250]},
                    },
                    "quantity": line.quantity,
                }
                for line in request.lines
            ],
            "payment_method_types": list(self.payment_methods),
            "client_reference_id": str(request.order_id),
            "metadata": {"order_id": str(request.order_id)},
            "payment_intent_data": {"metadata": {"order_id": str(request.order_id)}},
            "expires_at": int(expires_at.timestamp()),
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
        }
        if "wechat_pay" in self.payment_methods:
            params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
        if request.customer_email:
            params["customer_email"] = request.customer_email
        try:
            session = self._client().v1.checkout.sessions.create(
                params=params, options={"idempotency_key": request.idempotency_key})
        except stripe.StripeError as error:
            raise PaymentProviderError(_UNREACHABLE, detail=str(error)) from error
        if session.amount_total is not None and int(session.amount_total) != request.amount_minor:
            raise PaymentProviderError(_UNREACHABLE,
                                       detail=f"session total {session.amount_total} != {request.amount_minor}")
        return CheckoutStart(
            reference=session.id,
            redirect_url=session.url,
            expires_at=datetime.fromtimestamp(int(session.expires_at), timezone.utc)
            if session.expires_at else expires_at,
        )

    def cancel_checkout(self, reference: str) -> None:
        """Expire an open Checkout Session so that it can no longer be paid."""
        client = self._client()
        try:
            session = client.v1.checkout.sessions.retrieve(reference)
            if session.status == "open":
                client.v1.checkout.sessions.expire(reference)
        except stripe.StripeError as error:
            raise PaymentProviderError(_UNREACHABLE, detail=str(error)) from error

    def refund(self, payment_reference: str | None, amount_minor: int, currency: str,
               idempotency_key: str) -> RefundResult:
        """Refund `amount_minor` of a PaymentIntent; the key makes a retry safe."""
        if not payment_reference:
            raise PaymentProviderError(_UNREACHABLE, detail="no payment intent to refund")
        try:
            refund = self._client().v1.refunds.create(
                params={"payment_intent": payment_reference, "amount": int(amount_minor)},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            raise PaymentProviderError(_UNREACHABLE, detail=str(error)) from error
        status = refund.status if refund.status in ("succeeded", "pending") else "failed"
        return RefundResult(status=status, amount_minor=int(refund.amount), reference=refund.id)

    # -- webhooks -------------------------------------------------------------------------

    def verify_event(self, payload: bytes, signature_header: str | None, now: float | None = None) -> ProviderEvent:
        """Check the signature and age of a webhook body, then read the event from it.

        Stripe signs "<timestamp>.<body>" with the endpoint secret; a timestamp older than
        the tolerance (a replayed request) or further ahead than it is refused too.
        """
        if not self.webhook_secret:
            raise WebhookRejected("no webhook secret is configured")
        if not signature_header:
            raise WebhookRejected("missing Stripe-Signature header")
        try:
            text = bytes(payload).decode("utf-8")
        except UnicodeDecodeError as error:
            raise WebhookRejected("body is not UTF-8") from error
        try:
            stripe.WebhookSignature.verify_header(text, signature_header, self.webhook_secret,
                                                  self.webhook_tolerance)
        except stripe.SignatureVerificationError as error:
            raise WebhookRejected(str(error).splitlines()[0][:200]) from error
        timestamp = _signature_timestamp(signature_header)
        now = time.time() if now is None else now
        if timestamp is None or abs(now - timestamp) > self.webhook_tolerance:
            raise WebhookRejected("timestamp outside the tolerance")
        try:
            data = json.loads(text)
        except ValueError as error:
            raise WebhookRejected("body is not JSON") from error
        return event_from_payload(data)


def _signature_timestamp(header: str) -> int | None:
    for item in header.split(","):
        key, _sep, value = item.strip().partition("=")
        if key == "t":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _int_or_none(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def _id_of(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def event_from_payload(data) -> ProviderEvent:
    """Reduce a Stripe event (as parsed JSON) to the plain values the shop acts on."""
    if not isinstance(data, dict) or data.get("object") != "event":
        raise WebhookRejected("not a Stripe event")
    event_id, kind = data.get("id"), data.get("type")
    body = data.get("data")
    obj = body.get("object") if isinstance(body, dict) else None
    if not isinstance(event_id, str) or not event_id or not isinstance(kind, str) or not isinstance(obj, dict):
        raise WebhookRejected("event without id, type or object")
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    order_id = _int_or_none(metadata.get("order_id"))
    object_type = obj.get("object")
    values: dict = {"raw_object_type": object_type if isinstance(object_type, str) else None}
    currency = obj.get("currency")
    values["currency"] = currency.lower() if isinstance(currency, str) else None
    if object_type == "checkout.session":
        if order_id is None:
            order_id = _int_or_none(obj.get("client_reference_id"))
        values.update(
            checkout_reference=_id_of(obj.get("id")),
            payment_reference=_id_of(obj.get("payment_intent")),
            payment_status=obj.get("payment_status") if isinstance(obj.get("payment_status"), str) else None,
            amount_minor=_int_or_none(obj.get("amount_total")),
        )
    elif object_type == "charge":
        values.update(
            payment_reference=_id_of(obj.get("payment_intent")),
            amount_minor=_int_or_none(obj.get("amount")),
            amount_refunded_minor=_int_or_none(obj.get("amount_refunded")),
        )
    elif object_type == "refund":
        values.update(
            payment_reference=_id_of(obj.get("payment_intent")),
            refund_reference=_id_of(obj.get("id")),
            refund_status=obj.get("status") if isinstance(obj.get("status"), str) else None,
            amount_minor=_int_or_none(obj.get("amount")),
        )
    elif object_type == "payment_intent":
        values.update(payment_reference=_id_of(obj.get("id")), amount_minor=_int_or_none(obj.get("amount")))
    return ProviderEvent(id=event_id, type=kind, created=_int_or_none(data.get("created")) or 0,
                         order_id=order_id, **values)
