"""Factories for after-sales tests: a parcel delivered to its buyer, and signed-in clients."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest


def _english(user):
    from marketplace.extensions import db

    user.language = "en"
    db.session.commit()
    return user


@pytest.fixture
def delivered_parcel(app, make_user, make_cooperative, make_listing_for_sale, place_order, in_request):
    """Place an order, have the seller confirm payment, ship and mark it delivered (real services)."""
    from marketplace.extensions import db
    from marketplace.orders.models import SubOrder
    from marketplace.orders.services import fulfilment, payments
    from marketplace.core.timeutil import utcnow

    def make(*, buyer=None, seller=None, price_minor: int = 3800, quantity: int = 2, delivered_days_ago: float = 1,
             payment_method: str = "bank_transfer"):
        # Made here, they read English mail (as these tests do); passed in, they keep their language.
        buyer = buyer or _english(make_user(name="周静"))
        seller = seller or _english(make_user(name="茶农老王"))
        cooperative = make_cooperative(seller, name=f"龙井合作社 {seller.id}")
        listing = make_listing_for_sale(cooperative, price_minor=price_minor, stock=20, title="狮峰龙井")
        order = place_order(buyer, (listing, quantity), payment_method=payment_method)
        sub_id = order.sub_orders[0].id
        in_request(payments.confirm_offline_payment, seller, sub_id)
        in_request(fulfilment.ship, seller, sub_id, "sf", "SF1234567890")
        in_request(fulfilment.mark_delivered, seller, sub_id)
        sub = db.session.get(SubOrder, sub_id, populate_existing=True)
        sub.delivered_at = utcnow() - timedelta(days=delivered_days_ago)
        db.session.commit()
        return SimpleNamespace(order_id=order.id, sub_id=sub_id, buyer=buyer, seller=seller,
                               cooperative=cooperative, total=sub.total_minor, listing=listing)

    return make


@pytest.fixture
def client_of(app, login):
    """A test client signed in as `user`."""

    def make(user):
        client = app.test_client()
        login(user, test_client=client)
        return client

    return make
