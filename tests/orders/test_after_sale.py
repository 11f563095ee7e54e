"""After-sales (售后) through the app: a buyer asks about a delivered parcel, the cooperative
answers, a supervisor decides what is escalated; and every refusal a cheat would try."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from marketplace.core.audit import AuditEntry
from marketplace.extensions import db
from marketplace.orders.models import (
    Order,
    OrderEvent,
    OrderStatus,
    Refund,
    RefundStatus,
    SubOrder,
)
from marketplace.orders.models.after_sale import AfterSaleRequest, AfterSaleStatus
from marketplace.core.timeutil import utcnow
from tests.support.factories_catalog import image_bytes, upload
from tests.support.factories_orders import fresh


def ask(client, parcel, **overrides):
    data = {"kind": "refund", "reason": "桃子到货时已经腐烂，有霉斑。", "amount": "30.00"}
    data.update(overrides)
    return client.post(f"/orders/{parcel.order_id}/parcels/{parcel.sub_id}/after-sale", data=data,
                       content_type="multipart/form-data")


def the_request(parcel) -> AfterSaleRequest | None:
    db.session.rollback()
    return db.session.scalar(select(AfterSaleRequest).where(AfterSaleRequest.sub_order_id == parcel.sub_id))


def request_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(AfterSaleRequest))


def test_a_buyer_asks_with_a_photo_and_the_cooperative_refunds_part_of_it(delivered_parcel, client_of, outbox):
    parcel = delivered_parcel()
    buyer, seller = client_of(parcel.buyer), client_of(parcel.seller)
    page = buyer.get(f"/orders/{parcel.order_id}").get_data(as_text=True)
    assert "Ask for a refund or return" in page

    response = ask(buyer, parcel, photos=[upload(image_bytes("JPEG"), "rotten.jpg")])
    assert response.status_code == 302
    request = the_request(parcel)
    assert request.status == AfterSaleStatus.REQUESTED and request.requested_minor == 3000
    assert len(request.photos) == 1 and request.answer_due_at is not None
    assert any("After-sales request for order" in m["Subject"] and m["To"] == parcel.seller.email
               for m in outbox())

    # The cooperative sees it, with the photo; a stranger does not see the photo.
    detail = seller.get(f"/seller/after-sales/{request.id}").get_data(as_text=True)
    assert "桃子到货时已经腐烂" in detail
    photo_url = f"/after-sale/{request.id}/photos/{request.photos[0].filename}"
    for reader in (seller, buyer):
        with reader.get(photo_url) as response:
            assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
            assert response.get_data()[:2] == b"\xff\xd8"

    assert seller.post(f"/seller/after-sales/{request.id}/accept", data={"amount": "20"}).status_code == 302
    request = the_request(parcel)
    assert request.status == AfterSaleStatus.REFUNDED and request.refund_minor == 2000
    refund = db.session.scalar(select(Refund).where(Refund.sub_order_id == parcel.sub_id))
    assert (refund.amount_minor, refund.status) == (2000, RefundStatus.MANUAL)
    order = fresh(Order, parcel.order_id)
    assert order.refunded_minor == 2000
    assert fresh(SubOrder, parcel.sub_id).status == OrderStatus.DELIVERED  # a part refund leaves it delivered
    kinds = [event.kind for event in order.events]
    assert "after_sale_requested" in kinds and "after_sale_refunded" in kinds
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"after_sale.requested", "after_sale.refunded", "refund.requested"} <= actions
    assert any("after-sales refund is granted" in m["Subject"] and m["To"] == parcel.buyer.email for m in outbox())
    timeline = buyer.get(f"/orders/{parcel.order_id}").get_data(as_text=True)
    assert "After-sales refund granted" in timeline and "Ask for a refund or return" not in timeline


def test_a_full_refund_marks_the_parcel_refunded(delivered_parcel, client_of):
    parcel = delivered_parcel()
    ask(client_of(parcel.buyer), parcel, amount=str(parcel.total / 100))
    request = the_request(parcel)
    assert client_of(parcel.seller).post(f"/seller/after-sales/{request.id}/accept",
                                         data={"amount": str(parcel.total / 100)}).status_code == 302
    assert fresh(SubOrder, parcel.sub_id).status == OrderStatus.REFUNDED
    order = fresh(Order, parcel.order_id)
    assert order.status == OrderStatus.REFUNDED and order.refunded_minor == parcel.total


def test_a_return_goes_back_with_a_tracking_number_before_the_refund(delivered_parcel, client_of, outbox):
    parcel = delivered_parcel()
    buyer, seller = client_of(parcel.buyer), client_of(parcel.seller)
    ask(buyer, parcel, kind="return", amount="76")
    request = the_request(parcel)
    assert seller.post(f"/seller/after-sales/{request.id}/goods-back",
                       data={"instructions": "请寄回：杭州市西湖区龙井村 1 号，王先生 13800138000"}).status_code == 302
    assert the_request(parcel).status == AfterSaleStatus.GOODS_REQUESTED
    assert "请寄回" in buyer.get(f"/orders/{parcel.order_id}").get_data(as_text=True)
    # The refund waits for the goods: the seller cannot refund before they are sent.
    assert seller.post(f"/seller/after-sales/{request.id}/accept", data={"amount": "76"}).status_code == 409
    bad = buyer.post(f"/orders/after-sale/{request.id}/goods-sent", data={"tracking_number": "!"})
    assert bad.status_code == 302 and the_request(parcel).status == AfterSaleStatus.GOODS_REQUESTED
    assert buyer.post(f"/orders/after-sale/{request.id}/goods-sent",
                      data={"tracking_number": "sf 9876 5432 10"}).status_code == 302
    request = the_request(parcel)
    assert request.status == AfterSaleStatus.GOODS_SENT and request.return_tracking_number == "SF9876543210"
    assert any("on their way back" in m["Subject"] and m["To"] == parcel.seller.email for m in outbox())
    assert seller.post(f"/seller/after-sales/{request.id}/accept", data={"amount": "76"}).status_code == 302
    assert the_request(parcel).status == AfterSaleStatus.REFUNDED
    kinds = [e.kind for e in fresh(Order, parcel.order_id).events]
    assert kinds.index("after_sale_goods_requested") < kinds.index("after_sale_goods_sent") < kinds.index(
        "after_sale_refunded")


def test_refused_then_escalated_then_granted_by_a_supervisor(delivered_parcel, client_of, make_user, outbox):
    parcel = delivered_parcel()
    buyer, seller = client_of(parcel.buyer), client_of(parcel.seller)
    supervisor = client_of(make_user(supervisor=True))
    ask(buyer, parcel)
    request = the_request(parcel)
    # Not yet refused nor overdue: nothing to escalate.
    assert buyer.post(f"/orders/after-sale/{request.id}/escalate").status_code == 302
    assert the_request(parcel).status == AfterSaleStatus.REQUESTED
    assert seller.post(f"/seller/after-sales/{request.id}/refuse", data={"reason": "x"}).status_code == 400
    assert seller.post(f"/seller/after-sales/{request.id}/refuse",
                       data={"reason": "照片显示桃子完好，是收货后放置太久。"}).status_code == 302
    assert the_request(parcel).status == AfterSaleStatus.REFUSED
    assert any("was refused" in m["Subject"] and m["To"] == parcel.buyer.email for m in outbox())
    assert buyer.post(f"/orders/after-sale/{request.id}/escalate").status_code == 302
    assert the_request(parcel).status == AfterSaleStatus.ESCALATED

    assert buyer.get("/admin/after-sales").status_code == 403
    assert seller.post(f"/admin/after-sales/{request.id}", data={"decision": "grant", "amount": "30",
                                                                 "note": "照片可见霉斑"}).status_code == 403
    queue = supervisor.get("/admin/after-sales").get_data(as_text=True)
    assert f"/admin/after-sales/{request.id}" in queue
    too_much = supervisor.post(f"/admin/after-sales/{request.id}",
                               data={"decision": "grant", "amount": "999", "note": "照片可见霉斑，应退款。"})
    assert too_much.status_code == 400 and "can still be refunded" in too_much.get_data(as_text=True)
    assert the_request(parcel).status == AfterSaleStatus.ESCALATED
    assert supervisor.post(f"/admin/after-sales/{request.id}",
                           data={"decision": "grant", "amount": "30", "note": "照片可见霉斑，应退款。"}).status_code == 302
    request = the_request(parcel)
    assert request.status == AfterSaleStatus.REFUNDED and request.refund_minor == 3000
    assert request.supervisor_note == "照片可见霉斑，应退款。"
    assert fresh(Order, parcel.order_id).refunded_minor == 3000


def test_a_seller_silent_for_three_working_days_is_escalated_by_the_command(delivered_parcel, client_of, runner,
                                                                           make_user, outbox):
    parcel = delivered_parcel()
    ask(client_of(parcel.buyer), parcel)
    request = the_request(parcel)
    result = runner.invoke(args=["orders", "escalate"])
    assert "Escalated 0" in result.output and the_request(parcel).status == AfterSaleStatus.REQUESTED
    request.answer_due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["orders", "escalate"])
    assert result.exit_code == 0 and "Escalated 1" in result.output, result.output
    request = the_request(parcel)
    assert request.status == AfterSaleStatus.ESCALATED and request.escalated_automatically
    assert "Escalated 0" in runner.invoke(args=["orders", "escalate"]).output  # once only
    # The seller can no longer answer; the supervisor dismisses it with a reason.
    assert client_of(parcel.seller).post(f"/seller/after-sales/{request.id}/refuse",
                                         data={"reason": "太晚了，我们不同意。"}).status_code == 409
    supervisor = client_of(make_user(supervisor=True))
    assert supervisor.post(f"/admin/after-sales/{request.id}",
                           data={"decision": "dismiss", "note": "买家未能说明问题。"}).status_code == 302
    assert the_request(parcel).status == AfterSaleStatus.DISMISSED
    assert fresh(Order, parcel.order_id).refunded_minor == 0
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "after_sale.escalated")) is not None


# -- refusals ----------------------------------------------------------------------------------

def test_no_request_after_the_window(delivered_parcel, client_of, app):
    parcel = delivered_parcel(delivered_days_ago=app.config["AFTER_SALE_WINDOW_DAYS"] + 0.1)
    response = ask(client_of(parcel.buyer), parcel)
    assert response.status_code == 409 and "days after delivery" in response.get_data(as_text=True)
    assert request_count() == 0


def test_no_request_before_delivery(place_order, make_user, make_listing_for_sale, client_of):
    buyer = make_user()
    order = place_order(buyer, (make_listing_for_sale(), 1))
    response = client_of(buyer).post(f"/orders/{order.id}/parcels/{order.sub_orders[0].id}/after-sale",
                                     data={"kind": "refund", "reason": "还没收到货", "amount": "10"})
    assert response.status_code == 409 and request_count() == 0


def test_no_second_request_for_the_same_parcel(delivered_parcel, client_of):
    parcel = delivered_parcel()
    buyer = client_of(parcel.buyer)
    assert ask(buyer, parcel).status_code == 302
    again = ask(buyer, parcel, amount="10")
    assert again.status_code == 404 or "already made" in again.get_data(as_text=True)
    assert request_count() == 1


def test_no_request_on_someone_elses_order(delivered_parcel, client_of, make_user):
    parcel = delivered_parcel()
    assert ask(client_of(make_user()), parcel).status_code == 404
    assert ask(client_of(parcel.seller), parcel).status_code == 404
    assert request_count() == 0


def test_no_request_above_what_was_paid(delivered_parcel, client_of):
    parcel = delivered_parcel()
    response = ask(client_of(parcel.buyer), parcel, amount=str(parcel.total / 100 + 0.01))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Amount to refund" in page and "at most" in page
    assert request_count() == 0


def test_bad_input_names_the_field_and_changes_nothing(delivered_parcel, client_of):
    parcel = delivered_parcel()
    buyer = client_of(parcel.buyer)
    cases = [
        ({"kind": "jackpot"}, "Choose a refund or a return"),
        ({"reason": "坏"}, "Say what is wrong"),
        ({"amount": "abc"}, "Enter an amount in yuan"),
        ({"amount": "0"}, "above zero"),
        ({"amount": "-5"}, "Enter an amount in yuan"),
        ({"amount": "9" * 40}, "Field cannot be longer"),
        ({"photos": [upload(b"%PDF-1.4 not a photo", "label.pdf")]}, "photo"),
    ]
    for overrides, message in cases:
        response = ask(buyer, parcel, **overrides)
        assert response.status_code == 400, overrides
        assert message.lower() in response.get_data(as_text=True).lower(), (overrides, message)
    assert request_count() == 0


def test_a_seller_of_another_cooperative_cannot_see_or_answer(delivered_parcel, client_of, make_user,
                                                              make_cooperative):
    parcel = delivered_parcel()
    ask(client_of(parcel.buyer), parcel)
    request = the_request(parcel)
    other = make_user()
    make_cooperative(other)
    intruder = client_of(other)
    assert intruder.get(f"/seller/after-sales/{request.id}").status_code == 404
    for path, data in (("accept", {"amount": "30"}), ("refuse", {"reason": "不同意退款。"}),
                       ("goods-back", {"instructions": "寄回到我们这里。"})):
        assert intruder.post(f"/seller/after-sales/{request.id}/{path}", data=data).status_code == 404
    assert intruder.get(f"/after-sale/{request.id}/photos/x.jpg").status_code == 404
    assert "/seller/after-sales/" not in intruder.get("/seller/after-sales").get_data(as_text=True).split(
        "after-sale-list")[-1]
    assert the_request(parcel).status == AfterSaleStatus.REQUESTED
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0


def test_a_seller_cannot_refund_more_than_was_paid_or_twice(delivered_parcel, client_of):
    parcel = delivered_parcel()
    ask(client_of(parcel.buyer), parcel)
    request = the_request(parcel)
    seller = client_of(parcel.seller)
    over = seller.post(f"/seller/after-sales/{request.id}/accept", data={"amount": str(parcel.total / 100 + 1)})
    assert over.status_code == 400 and "can still be refunded" in over.get_data(as_text=True)
    assert seller.post(f"/seller/after-sales/{request.id}/accept", data={"amount": "30"}).status_code == 302
    assert seller.post(f"/seller/after-sales/{request.id}/accept", data={"amount": "30"}).status_code == 409
    assert [r.amount_minor for r in db.session.scalars(select(Refund))] == [3000]
    assert fresh(Order, parcel.order_id).refunded_minor == 3000


def test_the_answer_deadline_counts_chinese_working_days(delivered_parcel, client_of, app):
    from marketplace.core.working_days import working_deadline

    parcel = delivered_parcel()
    ask(client_of(parcel.buyer), parcel)
    request = the_request(parcel)
    from marketplace.core.timeutil import as_utc

    expected = working_deadline(as_utc(request.created_at), app.config["AFTER_SALE_ANSWER_WORKING_DAYS"])
    assert as_utc(request.answer_due_at) == expected
    assert db.session.scalar(select(OrderEvent).where(OrderEvent.kind == "after_sale_requested")) is not None


def test_photos_are_limited_in_number_and_stripped_of_their_metadata(delivered_parcel, client_of, app):
    from PIL import Image

    from marketplace.orders import after_sale_photos

    parcel = delivered_parcel()
    buyer = client_of(parcel.buyer)
    most = app.config["AFTER_SALE_MAX_PHOTOS"]
    too_many = ask(buyer, parcel, photos=[upload(image_bytes("JPEG"), f"p{n}.jpg") for n in range(most + 1)])
    assert too_many.status_code == 400 and f"at most {most} photos" in too_many.get_data(as_text=True)
    assert request_count() == 0
    with_gps = image_bytes("JPEG", exif={0x010F: "SecretCam", 0x0110: "Model X"})
    assert ask(buyer, parcel, photos=[upload(with_gps, "farm.jpg")]).status_code == 302
    stored = after_sale_photos.path_of(the_request(parcel).photos[0].filename)
    with Image.open(stored) as image:
        assert not image.getexif()
