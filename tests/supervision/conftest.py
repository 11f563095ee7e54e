"""Fixtures of the supervision tests: a certified batch on sale, a buyer who received it,
a supervisor, and officials in and out of the cooperative's county."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.certification.conftest import as_user, certified_world  # noqa: F401  (fixtures)


@pytest.fixture
def deliver(app):
    """Move every part of an order to delivered, paid `paid_days_ago` and shipped after `ship_days`."""
    from marketplace.extensions import db
    from marketplace.orders.models import OrderStatus
    from marketplace.core.timeutil import utcnow

    def run(order, *, paid_days_ago: int = 10, ship_days: int = 1, status: str = "delivered"):
        now = utcnow()
        for sub in order.sub_orders:
            sub.status = OrderStatus(status)
            sub.paid_at = now - timedelta(days=paid_days_ago)
            sub.shipped_at = sub.paid_at + timedelta(days=ship_days)
            sub.delivered_at = sub.shipped_at + timedelta(days=1) if status != "paid" else None
            if status == "paid":
                sub.shipped_at = None
        order.status = OrderStatus(status)
        db.session.commit()
        return order

    return run


@pytest.fixture
def market(certified_world, make_user, make_listing_for_sale, place_order, deliver):  # noqa: F811
    """A certified Longjing batch on sale, bought and delivered to a buyer; a supervisor."""
    from marketplace.extensions import db

    world = certified_world
    listing = make_listing_for_sale(world.cooperative, title="西湖龙井 明前 250g")
    listing.batch_id = world.batch.id
    db.session.commit()
    world.listing = listing
    world.buyer = make_user("buyer@example.com", name="Buyer Wang")
    world.order = deliver(place_order(world.buyer, (listing, 1)))
    world.line = world.order.sub_orders[0].lines[0]
    world.sub = world.order.sub_orders[0]
    world.supervisor = make_user("supervisor@example.com", name="Supervisor Li", supervisor=True)
    world.outsider_official = make_user("official-elsewhere@example.com", official_of=("110101",))
    speak_all("en")  # everyone here reads their mail in English, as the tests do
    return world


def speak_all(language: str) -> None:
    """Set the mail language of every account made so far."""
    from sqlalchemy import update

    from marketplace.accounts.models import User
    from marketplace.extensions import db

    db.session.execute(update(User).values(language=language))
    db.session.commit()


def speaking(user, language: str):
    """Set one account's mail language; return the fresh row."""
    from marketplace.accounts.models import User
    from marketplace.extensions import db

    row = db.session.get(User, user.id)
    row.language = language
    db.session.commit()
    return row


def mail_to(messages, address: str) -> list:
    return [m for m in messages if m["To"] == address]
