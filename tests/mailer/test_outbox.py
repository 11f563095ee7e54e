"""Mail leaves through a stored outbox: a slow or missing relay never slows or loses a decision."""
from email import message_from_bytes

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.core.mailer import background
from marketplace.core.mailer.models import MailStatus, OutgoingMail
from marketplace.orders.models import Order, OrderStatus
from tests.support.factories_orders import checkout_form
from tests.support.polling import wait_for
from tests.support.postgres import free_port
from tests.support.smtp import RecordingRelay, SilentRelay


def mails() -> list[OutgoingMail]:
    db.session.rollback()
    return db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()


def mail_attempted(count: int = 1):
    return wait_for(lambda: (found := mails()) and all(m.status != MailStatus.SENDING and m.attempts >= 1
                                                        for m in found) and len(found) >= count and found)


@pytest.fixture
def quiet_cooperative(make_user, make_cooperative):
    """A cooperative whose only member's account is closed: its orders mail the buyer alone
    (active members are told of each order), so each checkout here stores exactly one mail."""
    from marketplace.accounts.models import User

    def make():
        owner = make_user()
        db.session.get(User, owner.id).is_active_account = False
        db.session.commit()
        return make_cooperative(owner)

    return make


@pytest.fixture
def shopper_with_basket(make_user, quiet_cooperative, make_listing_for_sale, put_in_cart):
    shopper = make_user(name="周静")
    put_in_cart(shopper, make_listing_for_sale(quiet_cooperative(), stock=5), 2)
    return shopper


@pytest.fixture
def relay_settings(app):
    def use(port: int, **extra):
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_CONNECT_TIMEOUT=1, SMTP_READ_TIMEOUT=1,
                          MAIL_RETRY_BASE_SECONDS=0, **extra)
    return use


@pytest.fixture
def silent_relay():
    relay = SilentRelay()
    yield relay
    relay.stop()


def test_a_relay_that_never_answers_does_not_slow_checkout_and_the_mail_is_retried(
        client, login, app, runner, shopper_with_basket, relay_settings, silent_relay):
    relay_settings(silent_relay.port)
    login(shopper_with_basket)
    # A relay that never answers must not hold the request: without the sender's read
    # timeout this post would hang until the suite's own timeout fails the test.
    response = client.post("/checkout", data=checkout_form())
    assert response.status_code == 302
    order = db.session.scalars(select(Order)).one()
    assert order.status == OrderStatus.PENDING_PAYMENT

    [mail] = mail_attempted()  # the sender gave up on the silent relay after its read timeout
    assert mail.status == MailStatus.QUEUED and mail.attempts == 1 and "timed out" in mail.last_error
    assert silent_relay.accepted, "the sender did reach the relay"

    silent_relay.stop()
    good = RecordingRelay().start()
    try:
        relay_settings(good.port)
        result = runner.invoke(args=["mail", "send"])
        assert result.exit_code == 0 and "1 sent" in result.output
        [(recipients, raw)] = good.messages
        assert recipients == [shopper_with_basket.email]
        assert "received" in message_from_bytes(raw)["Subject"]
        assert [m.status for m in mails()] == [MailStatus.SENT]
    finally:
        good.stop()


def test_with_the_relay_down_mail_waits_and_leaves_once_it_is_back(
        client, login, app, shopper_with_basket, make_user, relay_settings, put_in_cart, make_listing_for_sale,
        quiet_cooperative):
    port = free_port()  # nothing listens there: the relay is down
    relay_settings(port)
    login(shopper_with_basket)
    assert client.post("/checkout", data=checkout_form()).status_code == 302
    [mail] = mail_attempted()
    assert mail.status == MailStatus.QUEUED and mail.attempts == 1 and mail.last_error

    good = RecordingRelay(port=port).start()
    try:
        # The next mail the shop sends reaches the relay, and takes the waiting one along.
        other = make_user(name="王芳")
        put_in_cart(other, make_listing_for_sale(quiet_cooperative(), stock=3), 1)
        login(other)
        assert client.post("/checkout", data=checkout_form()).status_code == 302
        assert wait_for(lambda: len(good.messages) == 2)
        assert sorted(r for recipients, _raw in good.messages for r in recipients) == sorted(
            [shopper_with_basket.email, other.email])
        assert wait_for(lambda: [m.status for m in mails()] == [MailStatus.SENT, MailStatus.SENT])
    finally:
        good.stop()


def test_waits_between_attempts_double_up_to_a_ceiling(app):
    from marketplace.core.mailer.delivery import retry_delay

    app.config.update(MAIL_RETRY_BASE_SECONDS=60, MAIL_RETRY_MAX_SECONDS=3600)
    assert [retry_delay(n, app.config).total_seconds() for n in (1, 2, 3, 4, 7, 20)] == [
        60, 120, 240, 480, 3600, 3600]


def test_a_mail_is_given_up_after_its_last_attempt_and_a_supervisor_sends_it_again(
        client, login, app, make_user, shopper_with_basket, relay_settings):
    port = free_port()
    relay_settings(port, MAIL_MAX_ATTEMPTS=2)
    login(shopper_with_basket)
    assert client.post("/checkout", data=checkout_form()).status_code == 302
    [mail] = mail_attempted()
    assert mail.status == MailStatus.QUEUED
    from marketplace.core.mailer.delivery import deliver

    deliver()  # the second and last attempt
    [mail] = mails()
    assert mail.status == MailStatus.FAILED and mail.attempts == 2

    anonymous = app.test_client().get("/admin/mail/")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login(shopper_with_basket)
    assert client.get("/admin/mail/").status_code == 403
    assert client.post(f"/admin/mail/{mail.id}/retry").status_code == 403
    supervisor = make_user(name="Supervisor", supervisor=True)
    login(supervisor)
    page = client.get("/admin/mail/").get_data(as_text=True)
    assert f'id="mail-{mail.id}"' in page and shopper_with_basket.email in page and "Failed" in page

    good = RecordingRelay(port=port).start()
    try:
        response = client.post(f"/admin/mail/{mail.id}/retry")
        assert response.status_code == 302
        assert wait_for(lambda: len(good.messages) == 1)
        assert wait_for(lambda: mails()[0].status == MailStatus.SENT)
        assert "Every mail was delivered." in client.get("/admin/mail/").get_data(as_text=True)
    finally:
        good.stop()


def test_a_relay_that_refuses_the_address_for_good_fails_the_mail_at_once(
        client, login, app, shopper_with_basket, relay_settings):
    relay = RecordingRelay(refuse_with="550 5.1.1 No such mailbox").start()
    try:
        relay_settings(relay.port)
        login(shopper_with_basket)
        assert client.post("/checkout", data=checkout_form()).status_code == 302
        [mail] = mail_attempted()
        assert mail.status == MailStatus.FAILED and "550" in mail.last_error
    finally:
        relay.stop()


def test_two_senders_never_deliver_the_same_mail_twice(client, login, app, shopper_with_basket, relay_settings):
    relay = RecordingRelay().start()
    try:
        relay_settings(relay.port)
        background.shutdown(app)
        app.config["MAIL_SENDER_THREADS"] = 1
        login(shopper_with_basket)
        assert client.post("/checkout", data=checkout_form()).status_code == 302
        from concurrent.futures import ThreadPoolExecutor

        from marketplace.core.mailer.delivery import deliver

        def send():
            with app.app_context():
                return len(deliver().sent)

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _i: send(), range(4)))
        assert wait_for(lambda: background.is_idle(app) and mails()[0].status == MailStatus.SENT)
        assert len(relay.messages) == 1
    finally:
        relay.stop()


def test_a_decision_that_rolls_back_stores_and_sends_no_mail(app, outbox):
    from marketplace.core.mail import send_mail_after_commit

    with app.test_request_context("/"):
        send_mail_after_commit("someone@example.com", "Hello", "order_cancelled", name="x", number="1",
                               url="http://x/")
        db.session.rollback()
    assert mails() == [] and outbox() == []
