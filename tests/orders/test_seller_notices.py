"""Cooperatives are told about their orders, in each member's own language; the buyer paying
by bank transfer is shown where to pay; what waits for a seller is counted."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.models.after_sale import PaymentReminder
from marketplace.core.timeutil import utcnow
from tests.support.factories_orders import checkout_form, fresh


def speaking(user, language):
    row = db.session.get(User, user.id)
    row.language = language
    db.session.commit()
    return row


def mails_to(outbox, user):
    return [message for message in outbox() if message["To"] == user.email]


def test_each_member_is_told_of_a_new_order_in_their_own_language(make_user, make_cooperative, place_order,
                                                                  make_listing_for_sale, outbox):
    owner, member = speaking(make_user(), "zh"), speaking(make_user(), "en")
    cooperative = make_cooperative(owner, members=[member], name="西湖龙井合作社")
    buyer = speaking(make_user(), "en")
    order = place_order(buyer, (make_listing_for_sale(cooperative, title="明前龙井"), 2))
    number = f"T{order.id:08d}"
    to_owner, to_member = mails_to(outbox, owner), mails_to(outbox, member)
    assert [m["Subject"] for m in to_owner] == [f"新订单 {number}"]
    assert [m["Subject"] for m in to_member] == [f"New order {number}"]
    assert "明前龙井 × 2" in to_owner[0].get_content() and "有一笔新订单" in to_owner[0].get_content()
    assert "/seller/orders/" in to_member[0].get_content()


def test_sellers_are_told_when_their_part_is_paid_or_cancelled(make_user, make_cooperative, place_order, client_of,
                                                              make_listing_for_sale, outbox):
    seller, buyer = speaking(make_user(), "en"), make_user()
    cooperative = make_cooperative(seller)
    listing = make_listing_for_sale(cooperative)
    paid = place_order(buyer, (listing, 1))
    assert client_of(seller).post(f"/seller/orders/{paid.sub_orders[0].id}/confirm-payment").status_code == 302
    cancelled = place_order(buyer, (listing, 1))
    assert client_of(buyer).post(f"/orders/{cancelled.id}/cancel").status_code == 302
    subjects = [m["Subject"] for m in mails_to(outbox, seller)]
    assert f"Order T{paid.id:08d} is paid: please ship it" in subjects
    assert f"Order T{cancelled.id:08d} was cancelled" in subjects
    # A replayed confirmation changes nothing and mails nothing more.
    client_of(seller).post(f"/seller/orders/{paid.sub_orders[0].id}/confirm-payment")
    assert [m["Subject"] for m in mails_to(outbox, seller)].count(f"Order T{paid.id:08d} is paid: please ship it") == 1


def test_sellers_are_told_of_a_return_request_in_their_language(delivered_parcel, make_user, client_of, outbox):
    seller = speaking(make_user(), "zh")
    parcel = delivered_parcel(seller=seller)
    client_of(parcel.buyer).post(f"/orders/{parcel.order_id}/parcels/{parcel.sub_id}/after-sale",
                                 data={"kind": "return", "reason": "包装破损，茶叶受潮。", "amount": "10"})
    assert f"订单 T{parcel.order_id:08d} 的售后申请" in [m["Subject"] for m in mails_to(outbox, seller)]


def test_a_reminder_goes_once_before_an_offline_order_expires(app, runner, make_user, make_cooperative,
                                                             make_listing_for_sale, place_order, outbox):
    seller, buyer = speaking(make_user(), "zh"), speaking(make_user(), "en")
    cooperative = make_cooperative(seller, name="五常稻米合作社")
    listing = make_listing_for_sale(cooperative, price_minor=6900)
    soon, later = place_order(buyer, (listing, 1)), place_order(buyer, (listing, 1))
    minutes = app.config["ORDER_PAYMENT_REMINDER_MINUTES"]
    fresh(Order, soon.id).reserved_until = utcnow() + timedelta(minutes=minutes - 5)
    db.session.commit()
    fresh(Order, later.id).reserved_until = utcnow() + timedelta(minutes=minutes + 60)
    db.session.commit()

    result = runner.invoke(args=["orders", "remind"])
    assert result.exit_code == 0 and "Reminded 1 order(s)" in result.output, result.output
    reminders = [m for m in mails_to(outbox, buyer) if "waiting for your payment" in m["Subject"]]
    assert len(reminders) == 1 and f"T{soon.id:08d}" in reminders[0]["Subject"]
    text = reminders[0].get_content()
    assert "6228 4800 1234 5678 901" in text and f"Reference: T{soon.id:08d}" in text and "¥" in text
    assert f"订单 T{soon.id:08d} 即将过期：货款到账了吗？" in [m["Subject"] for m in mails_to(outbox, seller)]
    assert "Reminded 0 order(s)" in runner.invoke(args=["orders", "remind"]).output
    assert db.session.scalars(select(PaymentReminder.order_id)).all() == [soon.id]


def test_the_dashboard_and_the_navigation_count_what_waits_for_the_seller(make_user, make_cooperative,
                                                                          place_order, make_listing_for_sale,
                                                                          delivered_parcel, client_of):
    seller = make_user()
    parcel = delivered_parcel(seller=seller)
    listing = make_listing_for_sale(parcel.cooperative)
    place_order(make_user(), (listing, 1))  # an offline payment to confirm
    client_of(parcel.buyer).post(f"/orders/{parcel.order_id}/parcels/{parcel.sub_id}/after-sale",
                                 data={"kind": "refund", "reason": "桃子到货时已经腐烂。", "amount": "10"})
    page = client_of(seller).get("/seller/").get_data(as_text=True)
    assert 'id="nav-orders-count">1<' in page and 'id="nav-returns-count">1<' in page
    assert 'id="count-orders-to-handle">1<' in page and 'id="count-returns-to-answer">1<' in page
    # Another seller sees none of it.
    stranger = make_user()
    make_cooperative(stranger)
    other = client_of(stranger).get("/seller/").get_data(as_text=True)
    assert 'id="count-orders-to-handle">0<' in other and "nav-returns-count" not in other


def test_bank_transfer_shows_the_account_amount_and_reference(make_user, make_listing_for_sale, place_order,
                                                              client_of, outbox):
    buyer = make_user()
    order = place_order(buyer, (make_listing_for_sale(price_minor=3800), 2))
    page = client_of(buyer).get(f"/orders/{order.id}").get_data(as_text=True)
    transfer = page.split('id="bank-transfers"')[1].split("</section>")[0]
    assert "6228 4800 1234 5678 901" in transfer and "中国农业银行杭州西湖支行" in transfer
    assert f"T{order.id:08d}" in transfer and "¥86.00" in transfer
    placed_mail = next(m for m in mails_to(outbox, buyer) if "received" in m["Subject"]).get_content()
    assert "6228 4800 1234 5678 901" in placed_mail and f"Reference: T{order.id:08d}" in placed_mail


def test_without_a_payee_account_bank_transfer_is_not_offered(make_user, make_cooperative, make_listing_for_sale,
                                                              put_in_cart, client_of):
    buyer = make_user()
    listing = make_listing_for_sale(make_cooperative(payee=False, name="无账户合作社"))
    put_in_cart(buyer, listing, 1)
    client = client_of(buyer)
    page = client.get("/checkout").get_data(as_text=True)
    assert 'value="bank_transfer"' not in page and 'value="cash_on_delivery"' in page
    refused = client.post("/checkout", data=checkout_form(payment_method="bank_transfer"))
    assert refused.status_code == 400
    assert db.session.scalar(select(Order.id)) is None
    assert client.post("/checkout", data=checkout_form(payment_method="cash_on_delivery")).status_code == 302


def test_the_service_refuses_bank_transfer_for_a_cooperative_without_account(make_user, make_cooperative,
                                                                           make_listing_for_sale, place_order):
    import pytest

    from marketplace.orders.services.errors import DomainError

    listing = make_listing_for_sale(make_cooperative(payee=False, name="无账户合作社"))
    with pytest.raises(DomainError) as refused:
        place_order(make_user(), (listing, 1), payment_method="bank_transfer")
    assert refused.value.field == "payment_method" and "无账户合作社" in str(refused.value)
