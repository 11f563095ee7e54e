"""Offline payment: bank transfer or cash on delivery, confirmed by the seller.

Nothing is charged through the site. The seller confirms, for their part of an order,
that the money arrived (a transfer) or is secured by the courier's cash-on-delivery
service; refunds are given back by the seller the same way, so the provider reports them
as "manual".
"""
from __future__ import annotations

from marketplace.payments.base import CheckoutRequest, CheckoutStart, RefundResult

#: The ways an offline payment can be made (stored with the order).
OFFLINE_METHODS = ("bank_transfer", "cash_on_delivery")


class OfflineProvider:
    name = "offline"

    def start_checkout(self, request: CheckoutRequest) -> CheckoutStart:
        """Nothing to start: the shopper pays each cooperative outside the site."""
        return CheckoutStart(reference=f"offline-{request.order_id}", redirect_url=None,
                             expires_at=request.expires_at)

    def cancel_checkout(self, reference: str) -> None:
        return None

    def refund(self, payment_reference, amount_minor: int, currency: str,
               idempotency_key: str) -> RefundResult:
        return RefundResult(status="manual", amount_minor=amount_minor, reference=None)
