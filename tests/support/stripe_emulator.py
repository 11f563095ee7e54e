"""A local Stripe for the tests: localstripe, plus the Checkout Sessions it lacks.

localstripe (a stateful Stripe emulator: customers, payment intents, refunds, signed
webhooks) runs here in a thread with its own event loop, bound to 127.0.0.1 on a free
port, with its pickle-to-/tmp persistence turned off. This harness adds the Checkout
Session resource as Stripe's API reference shapes it:

  POST /v1/checkout/sessions               create (honours the Idempotency-Key header)
  GET  /v1/checkout/sessions/<id>          retrieve
  POST /v1/checkout/sessions/<id>/expire   expire an open session (sends checkout.session.expired)

and test-only steps standing in for the shopper on the hosted page (under /_config/,
which localstripe leaves unauthenticated, as it does its own controls):

  POST /_config/checkout/sessions/<id>/complete   pay: a PaymentIntent is created and
       confirmed in localstripe, then the signed checkout.session.completed webhook goes
       out (form field payment_method, default pm_card_visa; delayed=true for a payment
       that settles later, as with bank debits)
  POST /_config/checkout/sessions/<id>/settle     outcome=succeeded|failed for a delayed one

Refunds made in localstripe also send charge.refunded and refund.created, which
localstripe itself does not. Tests can hold webhooks back to stage a race (a payment whose
webhook arrives after the reservation ran out).

Without localstripe installed the tests that need it are skipped, except with CI=true,
where they fail.
"""
from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest

CHECKOUT_MIN_SECONDS = 30 * 60
CHECKOUT_MAX_SECONDS = 24 * 3600
#: Idempotency-Key -> Checkout Session id, as Stripe remembers keys (cleared by reset()).
_IDEMPOTENCY: dict[str, str] = {}
#: While set, webhooks wait before going out (a test holds them to stage a race).
_HELD = threading.Event()


def _install_checkout_sessions(server, resources) -> None:
    """Add the Checkout Session resource and its routes to localstripe's app (once)."""
    if getattr(server.app, "_terroir_checkout", False):
        return
    from aiohttp import web

    UserError = resources.UserError
    idempotency = _IDEMPOTENCY

    def as_int(value, name, minimum=0):
        value = resources.try_convert_to_int(value)
        if type(value) is not int or value < minimum:
            raise UserError(400, f"Invalid integer: {name}")
        return value

    class CheckoutSession(resources.StripeObject):
        object = "checkout.session"
        _id_prefix = "cs_test_"

        def __init__(self, mode=None, line_items=None, success_url=None, cancel_url=None, expires_at=None,
                     payment_method_types=None, metadata=None, client_reference_id=None, customer_email=None,
                     payment_intent_data=None, payment_method_options=None, _base_url="", **kwargs):
            if kwargs:
                raise UserError(400, "Received unknown parameter: " + ", ".join(sorted(kwargs)))
            if mode != "payment":
                raise UserError(400, "Only mode=payment is emulated")
            if not isinstance(line_items, list) or not line_items:
                raise UserError(400, "Missing required param: line_items")
            if not isinstance(success_url, str) or not success_url.startswith("http"):
                raise UserError(400, "Missing required param: success_url")
            currencies, amount = set(), 0
            for item in line_items:
                price = item.get("price_data") if isinstance(item, dict) else None
                if not isinstance(price, dict) or not isinstance(price.get("product_data"), dict):
                    raise UserError(400, "Each line item needs price_data with product_data")
                currencies.add(str(price.get("currency", "")).lower())
                amount += as_int(price.get("unit_amount"), "unit_amount") * as_int(item.get("quantity"),
                                                                                  "quantity", 1)
            if len(currencies) != 1 or "" in currencies:
                raise UserError(400, "All line items must have the same currency")
            now = int(time.time())
            expires = as_int(expires_at, "expires_at") if expires_at is not None else now + CHECKOUT_MAX_SECONDS
            if expires < now + CHECKOUT_MIN_SECONDS:
                raise UserError(400, "The `expires_at` timestamp must be at least 30 minutes from Checkout "
                                     "Session creation.")
            if expires > now + CHECKOUT_MAX_SECONDS:
                raise UserError(400, "The `expires_at` timestamp must be less than 24 hours from Checkout "
                                     "Session creation.")
            methods = payment_method_types or ["card"]
            if not isinstance(methods, list) or not all(m in ("card", "alipay", "wechat_pay") for m in methods):
                raise UserError(400, "Invalid payment_method_types")
            if "wechat_pay" in methods and (payment_method_options or {}).get("wechat_pay", {}).get("client") \
                    not in ("web", "mobile", "android", "ios"):
                raise UserError(400, "payment_method_options[wechat_pay][client] is required")
            super().__init__()
            self.mode = mode
            self.status = "open"
            self.payment_status = "unpaid"
            self.amount_subtotal = amount
            self.amount_total = amount
            self.currency = currencies.pop()
            self.metadata = metadata or {}
            self.client_reference_id = client_reference_id
            self.customer_email = customer_email
            self.expires_at = expires
            self.payment_intent = None
            self.payment_method_types = methods
            self.success_url = success_url.replace("{CHECKOUT_SESSION_ID}", self.id)
            self.cancel_url = cancel_url
            self.url = f"{_base_url}/pay/{self.id}"
            self._intent_metadata = (payment_intent_data or {}).get("metadata") or {}

    async def create(request):
        data = await server.get_post_data(request) or {}
        data.pop("expand", None)
        key = request.headers.get("Idempotency-Key")
        if key and key in idempotency:
            return server.json_response(CheckoutSession._api_retrieve(idempotency[key])._export())
        session = CheckoutSession(_base_url=f"{request.scheme}://{request.host}", **data)
        if key:
            idempotency[key] = session.id
        return server.json_response(session._export())

    async def retrieve(request):
        return server.json_response(CheckoutSession._api_retrieve(request.match_info["id"])._export())

    async def expire(request):
        session = CheckoutSession._api_retrieve(request.match_info["id"])
        if session.status != "open":
            raise UserError(400, f"Only Checkout Sessions with a status in [open] can be expired. This "
                                 f"Checkout Session has a status of {session.status}.")
        session.status = "expired"
        resources.schedule_webhook(resources.Event("checkout.session.expired", session))
        return server.json_response(session._export())

    async def complete(request):
        session = CheckoutSession._api_retrieve(request.match_info["id"])
        data = await server.get_post_data(request) or {}
        if session.status != "open":
            raise UserError(400, f"This Checkout Session is {session.status}.")
        delayed = str(data.get("delayed", "")).lower() == "true"
        metadata = dict(session.metadata, **session._intent_metadata)
        intent = resources.PaymentIntent._api_create(
            amount=session.amount_total, currency=session.currency,
            payment_method=data.get("payment_method", "pm_card_visa"), metadata=metadata,
            confirm=not delayed)
        session.payment_intent = intent.id
        session.status = "complete"
        session.payment_status = "unpaid" if delayed else "paid"
        resources.schedule_webhook(resources.Event("checkout.session.completed", session))
        return server.json_response(session._export())

    async def settle(request):
        session = CheckoutSession._api_retrieve(request.match_info["id"])
        data = await server.get_post_data(request) or {}
        if session.status != "complete" or session.payment_status != "unpaid":
            raise UserError(400, "Only a completed session awaiting a delayed payment can settle.")
        if data.get("outcome") == "succeeded":
            resources.PaymentIntent._api_confirm(session.payment_intent)
            session.payment_status = "paid"
            kind = "checkout.session.async_payment_succeeded"
        else:
            kind = "checkout.session.async_payment_failed"
        resources.schedule_webhook(resources.Event(kind, session))
        return server.json_response(session._export())

    async def hosted_page(request):
        session = CheckoutSession._api_retrieve(request.match_info["id"])
        return web.Response(text=f"Emulated Stripe Checkout for {session.id}: {session.amount_total} "
                                 f"{session.currency} ({session.status})", content_type="text/plain")

    router = server.app.router
    router.add_post("/v1/checkout/sessions", create)
    router.add_get("/v1/checkout/sessions/{id}", retrieve)
    router.add_post("/v1/checkout/sessions/{id}/expire", expire)
    router.add_post("/_config/checkout/sessions/{id}/complete", complete)
    router.add_post("/_config/checkout/sessions/{id}/settle", settle)
    router.add_get("/pay/{id}", hosted_page)

    original_refund_create = resources.Refund._api_create.__func__

    @classmethod
    def refund_with_webhooks(cls, **data):
        refund = original_refund_create(cls, **data)
        resources.schedule_webhook(resources.Event("refund.created", refund))
        resources.schedule_webhook(resources.Event("charge.refunded", resources.Charge._api_retrieve(refund.charge)))
        return refund

    resources.Refund._api_create = refund_with_webhooks

    from localstripe import webhooks

    original_send = webhooks._send_webhook

    async def send_when_released(event):
        while _HELD.is_set():
            await asyncio.sleep(0.05)
        await original_send(event)

    webhooks._send_webhook = send_when_released
    server.app._terroir_checkout = True


class StripeEmulator:
    """localstripe on 127.0.0.1 in a thread with its own event loop."""

    def __init__(self):
        from localstripe import resources, server

        self.resources, self.server = resources, server
        # Persistence off: the store pickles itself to /tmp on every write otherwise.
        resources.store.dump_to_disk = lambda: None
        resources.store.clear()
        _install_checkout_sessions(server, resources)
        self.url = ""
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="stripe-emulator", daemon=True)

    def _run(self) -> None:
        from aiohttp import web

        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            runner = web.AppRunner(self.server.app, access_log=None)
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            host, port = runner.addresses[0][:2]
            self.url = f"http://{host}:{port}"
        except BaseException as error:  # reported to the fixture
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            for task in asyncio.all_tasks(loop):
                task.cancel()
            loop.run_until_complete(runner.cleanup())
            loop.close()

    def start(self) -> "StripeEmulator":
        self._thread.start()
        if not self._ready.wait(20) or self._error is not None:
            raise RuntimeError(f"the Stripe emulator did not start: {self._error!r}")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    # -- controls for tests ---------------------------------------------------------------

    def _post(self, path: str, data: dict | None = None):
        import requests

        response = requests.post(f"{self.url}{path}", data=data or {}, timeout=30)
        return response

    def reset(self) -> None:
        """Forget every object and webhook (between tests)."""
        import requests

        requests.delete(f"{self.url}/_config/data", timeout=30).raise_for_status()
        from localstripe import webhooks

        webhooks._webhooks.clear()
        _IDEMPOTENCY.clear()
        _HELD.clear()

    def hold_webhooks(self) -> None:
        """Keep webhooks back (as a slow network would) until release_webhooks()."""
        _HELD.set()

    def release_webhooks(self) -> None:
        _HELD.clear()

    def register_webhook(self, url: str, secret: str) -> None:
        self._post("/_config/webhooks/terroir", {"url": url, "secret": secret}).raise_for_status()

    def complete(self, session_id: str, payment_method: str = "pm_card_visa", delayed: bool = False):
        return self._post(f"/_config/checkout/sessions/{session_id}/complete",
                          {"payment_method": payment_method, "delayed": "true" if delayed else "false"})

    def settle(self, session_id: str, succeeded: bool):
        return self._post(f"/_config/checkout/sessions/{session_id}/settle",
                          {"outcome": "succeeded" if succeeded else "failed"})

    def session(self, session_id: str) -> dict:
        import requests

        response = requests.get(f"{self.url}/v1/checkout/sessions/{session_id}",
                                headers={"Authorization": "Bearer sk_test_terroir"}, timeout=30)
        response.raise_for_status()
        return response.json()

    def refunds_for(self, payment_intent: str) -> list[dict]:
        import requests

        response = requests.get(f"{self.url}/v1/refunds", params={"payment_intent": payment_intent},
                                headers={"Authorization": "Bearer sk_test_terroir"}, timeout=30)
        response.raise_for_status()
        return response.json()["data"]


@pytest.fixture(scope="session")
def stripe_emulator():
    """The Stripe emulator for the whole session (skipped without localstripe, failed in CI)."""
    try:
        import localstripe  # noqa: F401
    except ImportError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"localstripe is required in CI: {error}")
        pytest.skip(f"localstripe is not installed: {error}")
    try:
        emulator = StripeEmulator().start()
    except RuntimeError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(str(error))
        pytest.skip(str(error))
    yield emulator
    emulator.stop()
