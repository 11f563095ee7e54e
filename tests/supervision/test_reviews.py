"""Reviews by verified buyers: once per delivered line, one reply, hidden but never deleted."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.supervision.models import Review
from tests.supervision.conftest import mail_to
from tests.support.factories_catalog import image_bytes, upload


def reviews() -> list[Review]:
    db.session.expire_all()
    return list(db.session.scalars(select(Review).order_by(Review.id)))


def review_url(market) -> str:
    return f"/orders/{market.order.id}/lines/{market.line.id}/review"


def write(client, market, rating="5", body="Fresh, fragrant, as described.", **extra):
    return client.post(review_url(market), data={"rating": rating, "body": body, **extra},
                       content_type="multipart/form-data")


def test_a_buyer_reviews_a_delivered_line_and_it_shows_on_the_listing_and_cooperative(market, as_user):
    client = as_user(market.buyer)
    response = write(client, market, photos=[upload(image_bytes(), "tea.jpg")])
    assert response.status_code == 302
    [review] = reviews()
    assert review.rating == 5 and review.cooperative_id == market.cooperative.id and len(review.photos) == 1
    listing_page = as_user(None).get(f"/listings/{market.listing.id}").get_data(as_text=True)
    assert "Fresh, fragrant" in listing_page and "★ 5.0" in listing_page and "Verified purchase" in listing_page
    coop_page = as_user(None).get(f"/cooperatives/{market.cooperative.id}").get_data(as_text=True)
    assert 'id="record-reviews"' in coop_page and "★ 5.0 (1)" in coop_page
    photo = as_user(None).get(f"/reviews/photos/{review.photos[0].thumbnail}")
    photo.close()
    assert photo.status_code == 200


def test_a_buyer_cannot_review_twice(market, as_user):
    client = as_user(market.buyer)
    write(client, market)
    again = write(client, market, rating="1", body="Changed my mind")
    assert again.status_code == 400 and "already reviewed" in again.get_data(as_text=True)
    assert [r.rating for r in reviews()] == [5]


def test_a_buyer_cannot_review_before_delivery(market, as_user, deliver):
    deliver(market.order, status="paid")
    response = write(as_user(market.buyer), market)
    assert response.status_code == 400 and "once it has been delivered" in response.get_data(as_text=True)
    assert reviews() == []


def test_nobody_reviews_what_they_did_not_buy(market, as_user, make_user):
    assert write(as_user(make_user()), market).status_code == 403
    assert write(as_user(market.seller), market).status_code == 403
    # A line of another order, through this order's address.
    assert as_user(market.buyer).post(f"/orders/{market.order.id}/lines/999999/review",
                                      data={"rating": "5"}).status_code == 403
    assert reviews() == []


@pytest.mark.parametrize(("rating", "body", "field"), [
    ("0", "ok", "rating"), ("6", "ok", "rating"), ("five", "ok", "rating"), ("", "ok", "rating"),
    ("99999999999999999999", "ok", "rating"), ("5", "x" * 2001, "body"),
])
def test_bad_input_is_refused_on_its_field(market, as_user, rating, body, field):
    response = write(as_user(market.buyer), market, rating=rating, body=body)
    assert response.status_code == 400 and f'id="{field}-errors"' in response.get_data(as_text=True)
    assert reviews() == []


def test_review_text_goes_through_the_shops_text_path(market, as_user):
    write(as_user(market.buyer), market, body="Good\x00 tea \u202eevil<script>alert(1)</script>")
    [review] = reviews()
    assert "\x00" not in review.body and "\u202e" not in review.body
    page = as_user(None).get(f"/listings/{market.listing.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


def test_the_seller_replies_once(market, as_user, outbox, make_user):
    write(as_user(market.buyer), market)
    [review] = reviews()
    assert as_user(make_user()).post(f"/seller/reviews/{review.id}/reply", data={"reply": "x"}).status_code == 403
    seller = as_user(market.seller)
    empty = seller.post(f"/seller/reviews/{review.id}/reply", data={"reply": " "})
    assert empty.status_code == 400 and 'id="reply-errors"' in empty.get_data(as_text=True)
    assert seller.post(f"/seller/reviews/{review.id}/reply", data={"reply": "Thank you!"}).status_code == 302
    again = seller.post(f"/seller/reviews/{review.id}/reply", data={"reply": "Once more"})
    assert again.status_code == 400
    assert reviews()[0].reply == "Thank you!"
    assert [m for m in mail_to(outbox(), "buyer@example.com") if "replied" in m["Subject"]]


def test_a_reported_review_is_hidden_by_the_supervisor_with_a_reason_never_deleted(market, as_user, make_user):
    write(as_user(market.buyer), market, rating="1", body="Call 13900000000 for cheaper tea")
    [review] = reviews()
    reporter = as_user(make_user())
    no_reason = reporter.post(f"/reviews/{review.id}/report", data={"reason": ""})
    assert no_reason.status_code == 400 and 'id="reason-errors"' in no_reason.get_data(as_text=True)
    assert reporter.post(f"/reviews/{review.id}/report", data={"reason": "Advertising"}).status_code == 302
    supervisor = as_user(market.supervisor)
    assert "Advertising" in supervisor.get("/admin/reviews").get_data(as_text=True)
    assert as_user(market.seller).post(f"/admin/reviews/{review.id}/hide", data={"reason": "x"}).status_code == 403
    missing = supervisor.post(f"/admin/reviews/{review.id}/hide", data={"reason": ""})
    assert missing.status_code == 400 and 'id="reason-errors"' in missing.get_data(as_text=True)
    assert supervisor.post(f"/admin/reviews/{review.id}/hide", data={"reason": "Advertising a phone number"}
                           ).status_code == 302
    [review] = reviews()
    assert review.is_hidden and review.body  # kept, only hidden
    page = as_user(None).get(f"/listings/{market.listing.id}").get_data(as_text=True)
    assert "13900000000" not in page and "hidden by the market supervisor: Advertising a phone number" in page
    assert "No review yet." in page  # a hidden review counts in no average


def test_sales_counts_show_on_cards(market, as_user):
    page = as_user(None).get(f"/cooperatives/{market.cooperative.id}").get_data(as_text=True)
    assert "1 sold" in page
