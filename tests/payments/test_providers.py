"""Payment providers on their own: the Stripe gateway against the emulator, the offline provider."""
import ast
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import stripe

from marketplace.payments import CheckoutRequest, LineItem, OfflineProvider, WebhookRejected
from marketplace.payments.stripe_gateway import StripeGateway, clamp_session_expiry

SECRET = "whsec_test_providers"


@pytest.fixture
def gateway(stripe_emulator):
    stripe_emulator.reset()
    return StripeGateway("sk_test_terroir", webhook_secret=SECRET, api_base=stripe_emulator.url,
                         payment_methods=("card", "alipay", "wechat_pay"), webhook_tolerance=300, read_timeout=60)


def checkout_request(**overrides):
    values = dict(order_id=42, amount_minor=2 * 3800 + 1000, currency="CNY",
                  lines=(LineItem("西湖龙井", 3800, 2), LineItem("Shipping", 1000, 1)),
                  expires_at=datetime.now(timezone.utc) + timedelta(minutes=5),
                  success_url="http://127.0.0.1/orders/42/payment", cancel_url="http://127.0.0.1/orders/42",
                  idempotency_key="terroir-order-42-checkout", customer_email="buyer@example.com")
    values.update(overrides)
    return CheckoutRequest(**values)


def test_a_checkout_session_carries_the_order_and_expires_with_the_reservation(gateway, stripe_emulator):
    started = gateway.start_checkout(checkout_request())
    assert started.reference.startswith("cs_test_") and started.redirect_url.startswith(stripe_emulator.url)
    session = stripe_emulator.session(started.reference)
    assert session["object"] == "checkout.session"
    assert (session["amount_total"], session["currency"]) == (8600, "cny")
    assert session["metadata"] == {"order_id": "42"} and session["client_reference_id"] == "42"
    assert session["payment_method_types"] == ["card", "alipay", "wechat_pay"]
    assert (session["status"], session["payment_status"]) == ("open", "unpaid")
    # The reservation ends in 5 minutes; Stripe needs at least 30: clamped up.
    assert session["expires_at"] >= time.time() + 30 * 60


def test_the_same_idempotency_key_gives_the_same_session(gateway):
    first = gateway.start_checkout(checkout_request())
    again = gateway.start_checkout(checkout_request())
    other = gateway.start_checkout(checkout_request(idempotency_key="terroir-order-43-checkout", order_id=43))
    assert first.reference == again.reference != other.reference


def test_expiry_is_clamped_to_what_stripe_accepts():
    now = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    assert clamp_session_expiry(now + timedelta(minutes=10), now) > now + timedelta(minutes=30)
    assert clamp_session_expiry(now + timedelta(hours=2), now) == now + timedelta(hours=2)
    assert clamp_session_expiry(now + timedelta(days=3), now) < now + timedelta(hours=24)


def test_an_unreachable_stripe_is_a_provider_error_not_a_crash(app):
    from marketplace.payments import PaymentProviderError

    dead = StripeGateway("sk_test_terroir", api_base="http://127.0.0.1:9", network_retries=0)
    with app.test_request_context("/"), pytest.raises(PaymentProviderError) as error:
        dead.start_checkout(checkout_request())
    assert "could not be reached" in str(error.value)


def test_a_refund_goes_through_the_emulator(gateway, stripe_emulator):
    started = gateway.start_checkout(checkout_request())
    paid = stripe_emulator.complete(started.reference).json()
    result = gateway.refund(paid["payment_intent"], 3800, "cny", "terroir-refund-test")
    assert result.status == "succeeded" and result.reference.startswith("re_") and result.amount_minor == 3800
    assert [refund["amount"] for refund in stripe_emulator.refunds_for(paid["payment_intent"])] == [3800]


def sign(payload: str, secret: str = SECRET, timestamp: int | None = None) -> str:
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)


EVENT = json.dumps({"id": "evt_1", "object": "event", "type": "checkout.session.completed", "created": 1,
                    "data": {"object": {"object": "checkout.session", "id": "cs_test_1", "amount_total": 8600,
                                        "currency": "cny", "payment_status": "paid", "payment_intent": "pi_1",
                                        "metadata": {"order_id": "42"}, "client_reference_id": "42"}}})


def test_a_signed_event_is_read_into_plain_values(gateway):
    event = gateway.verify_event(EVENT.encode(), sign(EVENT))
    assert (event.id, event.type, event.order_id, event.checkout_reference) == ("evt_1", event.type, 42, "cs_test_1")
    assert (event.amount_minor, event.currency, event.payment_status, event.payment_reference) == (
        8600, "cny", "paid", "pi_1")


# Headers are signed when the test runs, not when it is collected: on a busy machine a
# whole suite can run between the two, and "ten minutes ahead" would have become "now".
@pytest.mark.parametrize("body, header", [
    (EVENT, lambda: None),
    (EVENT, lambda: ""),
    (EVENT, lambda: "t=123"),
    (EVENT, lambda: "garbage"),
    (EVENT, lambda: sign(EVENT, secret="whsec_wrong")),
    (EVENT.replace("8600", "1"), lambda: sign(EVENT)),
    (EVENT, lambda: sign(EVENT, timestamp=int(time.time()) - 600)),
    (EVENT, lambda: sign(EVENT, timestamp=int(time.time()) + 600)),
    ("not json", lambda: sign("not json")),
    ('{"object": "event"}', lambda: sign('{"object": "event"}')),
], ids=["no header", "empty header", "no signature", "garbage", "wrong secret", "changed body", "stale",
        "from the future", "not json", "no event id"])
def test_anything_unsigned_altered_or_stale_is_rejected(gateway, body, header):
    with pytest.raises(WebhookRejected):
        gateway.verify_event(body.encode(), header())


def test_a_body_that_is_not_utf8_is_rejected(gateway):
    body = b"\xff\xfe" + EVENT.encode()
    with pytest.raises(WebhookRejected):
        gateway.verify_event(body, sign(EVENT))


def test_the_offline_provider_sends_nobody_anywhere_and_refunds_by_hand():
    provider = OfflineProvider()
    started = provider.start_checkout(checkout_request())
    assert started.redirect_url is None and started.reference == "offline-42"
    assert provider.refund(None, 500, "CNY", "key").status == "manual"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_payments_knows_nothing_of_the_areas_above_it():
    package = Path(__file__).resolve().parents[2] / "marketplace" / "payments"
    higher = ("marketplace.orders", "marketplace.catalog", "marketplace.certification", "marketplace.seller",
              "marketplace.storefront", "marketplace.search")
    for path in package.glob("*.py"):
        assert not [name for name in _imports(path) if name.startswith(higher)], path


def test_only_the_stripe_gateway_imports_stripe():
    root = Path(__file__).resolve().parents[2] / "marketplace"
    importers = {path.relative_to(root).as_posix() for path in root.rglob("*.py")
                 if any(name == "stripe" or name.startswith("stripe.") for name in _imports(path))}
    assert importers == {"payments/stripe_gateway.py"}


def test_a_stripe_that_accepts_and_never_answers_fails_within_the_timeouts(app):

    from marketplace.payments import PaymentProviderError
    from tests.support.smtp import SilentRelay

    hung = SilentRelay()  # accepts TCP connections, never answers
    try:
        app.config.update(STRIPE_SECRET_KEY="sk_test_terroir", STRIPE_API_BASE=f"http://127.0.0.1:{hung.port}",
                          STRIPE_CONNECT_TIMEOUT=1, STRIPE_READ_TIMEOUT=1)
        gateway = StripeGateway.from_config(app.config)
        # The read timeout ends the call with an error; without it, it would hang.
        with app.test_request_context("/"), pytest.raises(PaymentProviderError):
            gateway.start_checkout(checkout_request())
        assert hung.accepted
    finally:
        hung.stop()
