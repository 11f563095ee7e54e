"""What every payment provider offers, in plain values: no orders, no database.

A provider says what happened (a checkout was started, a refund was made, an event came
in); the order services decide what it means for an order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class PaymentProviderError(RuntimeError):
    """The provider failed or could not be reached: not the shopper's fault.

    The message is fit to show ("the payment service could not be reached"); the
    technical cause is kept in `detail` for the log.
    """

    def __init__(self, message, detail: str = ""):
        super().__init__(str(message))
        self.detail = detail


class WebhookRejected(ValueError):
    """An incoming provider event failed verification (signature, age, shape)."""


@dataclass(frozen=True)
class LineItem:
    name: str
    unit_amount_minor: int
    quantity: int


@dataclass(frozen=True)
class CheckoutRequest:
    """One payment for a whole basket."""

    order_id: int
    amount_minor: int
    currency: str
    lines: tuple[LineItem, ...]
    #: When the reservation behind this payment runs out (UTC).
    expires_at: datetime
    success_url: str
    cancel_url: str
    idempotency_key: str
    customer_email: str | None = None


@dataclass(frozen=True)
class CheckoutStart:
    """What the provider made of a checkout request."""

    #: The provider's id for this checkout (a Stripe Checkout Session id), or our own.
    reference: str
    #: Where to send the shopper to pay; None when payment happens outside the site.
    redirect_url: str | None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class RefundResult:
    #: "succeeded", "pending" (the provider will finish it), or "manual" (a person must
    #: give the money back, as with bank transfers).
    status: str
    amount_minor: int
    reference: str | None = None


@dataclass(frozen=True)
class ProviderEvent:
    """A verified event from a provider, reduced to the values the shop acts on."""

    id: str
    type: str
    created: int
    #: Our order id, from the checkout's metadata or client_reference_id.
    order_id: int | None = None
    checkout_reference: str | None = None
    payment_reference: str | None = None
    #: "paid", "unpaid" or "no_payment_required" for checkout events.
    payment_status: str | None = None
    amount_minor: int | None = None
    currency: str | None = None
    #: For refund events: the total refunded on the payment so far, when known.
    amount_refunded_minor: int | None = None
    refund_reference: str | None = None
    refund_status: str | None = None
    raw_object_type: str | None = None
    extra: dict = field(default_factory=dict)


class PaymentProvider(Protocol):
    name: str

    def start_checkout(self, request: CheckoutRequest) -> CheckoutStart: ...

    def cancel_checkout(self, reference: str) -> None: ...

    def refund(self, payment_reference: str | None, amount_minor: int, currency: str,
               idempotency_key: str) -> RefundResult: ...
