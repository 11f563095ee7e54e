"""Supervision mail reads in the recipient's stored language, whatever language the actor uses."""
from __future__ import annotations

import re

from marketplace.extensions import db
from tests.supervision.conftest import mail_to, speaking
from tests.supervision.test_complaints import complaints, file

REASON = "罐子被重新封口，冒充新茶出售。"
_HAN = re.compile(r"[\u4e00-\u9fff]")


def in_language(as_user, user, language: str):
    """A client of `user` reading the site in `language` (the actor's language)."""
    client = as_user(user)
    client.set_cookie("lang", language)
    return client


def english_title(market, title: str = "West Lake Longjing, before Qingming, 250 g"):
    market.listing.title_en = title
    db.session.commit()
    return title


def newest(messages, address: str, words: str):
    found = [m for m in mail_to(messages, address) if words in m["Subject"]]
    assert found, [m["Subject"] for m in mail_to(messages, address)]
    return found[-1]


def without_reason(message) -> str:
    """The mail's own words: the reason the supervisor typed is theirs, in their language."""
    return message.get_content().replace(REASON, "")


def test_a_chinese_supervisor_takes_down_an_english_sellers_listing_in_english(market, as_user, outbox):
    title = english_title(market)
    speaking(market.seller, "en")
    supervisor = in_language(as_user, market.supervisor, "zh")
    assert supervisor.post(f"/admin/listings/{market.listing.id}/take-down", data={"reason": REASON}).status_code == 302
    mail = newest(outbox(), market.seller.email, "taken down")
    assert " ".join(mail["Subject"].split()) == f"Your listing was taken down: {title}"
    body = without_reason(mail)
    assert "The market supervisor took down your listing" in body and not _HAN.search(body.replace(
        market.cooperative.name, "")), body
    assert REASON in mail.get_content()


def test_an_english_supervisor_takes_down_a_chinese_sellers_listing_in_chinese(market, as_user, outbox):
    english_title(market)
    speaking(market.seller, "zh")
    supervisor = in_language(as_user, market.supervisor, "en")
    assert supervisor.post(f"/admin/listings/{market.listing.id}/take-down", data={"reason": REASON}).status_code == 302
    mail = newest(outbox(), market.seller.email, "下架")
    assert mail["Subject"] == f"您的商品已被下架：{market.listing.title}"
    assert "市场监管人员下架了您的商品" in mail.get_content() and "Hello" not in mail.get_content()


def test_each_step_of_a_complaint_reaches_the_complainant_in_their_language(market, as_user, outbox):
    from tests.supervision.test_complaints import handle

    speaking(market.buyer, "en")
    file(in_language(as_user, market.buyer, "en"), "listing", market.listing.id)
    [complaint] = complaints()
    supervisor = in_language(as_user, market.supervisor, "zh")
    assert handle(supervisor, "/admin", complaint.id, "investigating", "正在调查。").status_code == 302
    step = newest(outbox(), market.buyer.email, "under investigation")
    assert step["Subject"] == f"Your complaint no. {complaint.id}: under investigation"
    assert f"Your complaint no. {complaint.id} is now: under investigation." in step.get_content()
    # The other way round: a Chinese-reading buyer, an English-reading supervisor.
    speaking(market.buyer, "zh")
    english = in_language(as_user, market.supervisor, "en")
    assert handle(english, "/admin", complaint.id, "upheld", "The tins were resealed.").status_code == 302
    decision = mail_to(outbox(), market.buyer.email)[-1]
    assert decision["Subject"].startswith(f"您的第 {complaint.id} 号投诉") and "Hello" not in decision.get_content()


def test_the_seller_is_told_of_a_complaint_in_the_sellers_language(market, as_user, outbox):
    speaking(market.seller, "zh")
    file(in_language(as_user, market.buyer, "en"), "listing", market.listing.id)
    mail = mail_to(outbox(), market.seller.email)[-1]
    assert mail["Subject"] == f"关于{market.cooperative.name}的投诉"


def test_a_guest_reporting_a_code_is_answered_in_the_language_they_wrote_in(market, as_user, outbox):
    guest = in_language(as_user, None, "en")
    response = guest.post("/verify/report", data={
        "code": market.code, "message": "The label looks printed at home.", "contact": "guest@example.org"})
    assert response.status_code == 200
    [complaint] = complaints()
    assert complaint.language == "en"
    received = mail_to(outbox(), "guest@example.org")[-1]
    assert received["Subject"] == f"Your complaint no. {complaint.id} was received"
    from tests.supervision.test_complaints import handle

    handle(in_language(as_user, market.supervisor, "zh"), "/admin", complaint.id, "investigating", "正在调查。")
    assert mail_to(outbox(), "guest@example.org")[-1]["Subject"].startswith(f"Your complaint no. {complaint.id}:")


def test_a_freeze_tells_each_buyer_and_seller_in_their_own_language(market, as_user, outbox):
    speaking(market.buyer, "zh")
    speaking(market.seller, "en")
    supervisor = in_language(as_user, market.supervisor, "zh")
    assert supervisor.post(f"/admin/batches/{market.batch.id}/freeze", data={"reason": REASON}).status_code == 302
    recall = mail_to(outbox(), market.buyer.email)[-1]
    assert recall["Subject"] == "召回通知：您购买的商品"
    frozen = newest(outbox(), market.seller.email, "was frozen")
    assert frozen["Subject"] == f"Your batch no. {market.batch.id} was frozen"
    assert "its listings are paused" in frozen.get_content()
    # The certification area's own recall mail to the seller reads English too.
    recalled = newest(outbox(), market.seller.email, "recalled")
    assert recalled["Subject"] == "Your batch certification: recalled"
    assert not _HAN.search(without_reason(recalled).replace(market.cooperative.name, "")), recalled.get_content()
