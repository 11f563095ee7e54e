"""Demo supervision: a review with the seller's reply, complaints in two states, sanctions (one
lifted), flagged payments open and handled.

Runs after the orders step (it reviews a delivered demo order). Each case is found by its
natural key before it is made (the review by its order line, the complaints and the
sanction by their words), so the step can run again.
"""
from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.demo import supervision_answers
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderLine, OrderStatus, SubOrder
from marketplace.supervision.models import Complaint, ComplaintKind, Review, Sanction
from marketplace.supervision.services import complaints, powers, reviews

BUYER = "consumer@terroir.demo"
SUPERVISOR = "supervisor@terroir.demo"
COMPLAINT_RECEIVED = "演示：包装上的产地与商品页不一致。 (demo: the origin on the box differs from the page)"
COMPLAINT_INVESTIGATING = "演示：茶叶有陈味，疑似往年茶。 (demo: the tea tastes stale, perhaps last year's)"
SANCTION_REASON = "演示：商品标题使用了未获授权的地理标志名称。 (demo: the title used a GI name without authorization)"


def load() -> None:
    buyer = db.session.scalar(select(User).where(User.email == BUYER))
    supervisor = db.session.scalar(select(User).where(User.email == SUPERVISOR))
    if buyer is None or supervisor is None:
        click.echo("  No demo buyer or supervisor: skipping demo supervision.")
        return
    with current_app.test_request_context("/"):
        made = (_review(buyer) + _complaints(buyer, supervisor) + _sanction(supervisor)
                + supervision_answers.load_answers(supervisor))
    click.echo(f"  {made} new demo supervision cases")


def _review(buyer: User) -> int:
    line = db.session.scalar(
        select(OrderLine).join(SubOrder, SubOrder.id == OrderLine.sub_order_id).join(Order, Order.id == SubOrder.order_id)
        .where(Order.buyer_id == buyer.id, SubOrder.status.in_((OrderStatus.DELIVERED, OrderStatus.COMPLETED)))
        .order_by(OrderLine.id).limit(1))
    if line is None or db.session.scalar(select(Review.id).where(Review.order_line_id == line.id)):
        return 0
    review = reviews.write_review(buyer, line.sub_order.order_id, line.id, 5,
                                  "香气清高，包装完好，和描述一致。Fragrant, well packed, as described.")
    seller = next(iter(line.sub_order.cooperative.memberships)).user
    reviews.reply_to_review(seller, review.id, "谢谢您的支持！Thank you for your order!")
    return 1


def _complaints(buyer: User, supervisor: User) -> int:
    listings = db.session.scalars(select(Listing).where(Listing.status == ListingStatus.ACTIVE)
                                  .order_by(Listing.id).limit(2)).all()
    made = 0
    for listing, message in zip(listings, (COMPLAINT_RECEIVED, COMPLAINT_INVESTIGATING)):
        if db.session.scalar(select(Complaint.id).where(Complaint.message == message)):
            continue
        complaint = complaints.file_complaint(buyer, ComplaintKind.LISTING, listing.id, message,
                                              gi_claim=listing.batch_id is not None)
        if message == COMPLAINT_INVESTIGATING:
            complaints.move_complaint(supervisor, complaint.id, "investigating",
                                      "已要求合作社提供该批次的检测报告。We asked the cooperative for the batch's lab report.")
        made += 1
    return made


def _sanction(supervisor: User) -> int:
    if db.session.scalar(select(Sanction.id).where(Sanction.reason == SANCTION_REASON)):
        return 0
    listing = db.session.scalar(select(Listing).where(Listing.status == ListingStatus.SOLD_OUT)
                                .order_by(Listing.id).limit(1))
    if listing is None:
        return 0
    powers.take_down_listing(supervisor, listing.id, SANCTION_REASON)
    return 1
