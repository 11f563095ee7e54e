"""Synthetic order history, bulk-inserted: for the demo's 24-month trend and the benchmark.

Orders go straight into the order tables with Core `INSERT … VALUES` batches (no ORM
objects, ids handed out here), one sub-order per order, spread over the months asked for,
with payment, shipping and delivery times, and some refunds and cancellations. Each
order's street carries `MARKER`, so the rows can be told apart from real ones.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text

from marketplace.catalog.models import Listing, ListingVariant
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.orders.models import (
    CancelReason,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    Refund,
    RefundStatus,
    SubOrder,
)

MARKER = "synthetic"
BATCH = 5000
DESTINATIONS = (("上海市", "上海市", "徐汇区"), ("广东省", "深圳市", "南山区"), ("北京市", "北京市", "朝阳区"),
                ("浙江省", "杭州市", "西湖区"), ("四川省", "成都市", "武侯区"), ("湖北省", "武汉市", "洪山区"),
                ("江苏省", "南京市", "鼓楼区"), ("陕西省", "西安市", "雁塔区"))


@dataclass(frozen=True)
class ListingForSale:
    id: int
    cooperative_id: int
    title: str
    unit: str
    price_minor: int
    variant_id: int


def listings_for_sale() -> list[ListingForSale]:
    """Each listing with its first size (the one a synthetic order buys)."""
    first_size = (select(ListingVariant.listing_id, func.min(ListingVariant.id).label("variant_id"))
                  .group_by(ListingVariant.listing_id).subquery())
    rows = db.session.execute(select(Listing.id, Listing.cooperative_id, Listing.title, Listing.unit,
                                     Listing.price_minor, first_size.c.variant_id)
                              .join(first_size, first_size.c.listing_id == Listing.id).order_by(Listing.id))
    return [ListingForSale(*row) for row in rows]


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def generate(count: int, buyer_ids: list[int], listings: list[ListingForSale], start: datetime, end: datetime,
             seed: int = 16, progress: Callable[[int], None] | None = None) -> int:
    """Insert `count` paid orders placed between `start` and `end` (naive UTC); return how many."""
    rng = random.Random(seed)
    order_id, sub_id, line_id, refund_id = (_next_id(Order), _next_id(SubOrder), _next_id(OrderLine),
                                            _next_id(Refund))
    span = (end - start).total_seconds()
    done = 0
    while done < count:
        orders, subs, lines, refunds = [], [], [], []
        for _ in range(min(BATCH, count - done)):
            listing = rng.choice(listings)
            quantity = rng.randint(1, 3)
            items = listing.price_minor * quantity
            placed = start + timedelta(seconds=rng.random() * span)
            paid = placed + timedelta(minutes=rng.randint(1, 120))
            shipped = paid + timedelta(hours=rng.uniform(4, 96))
            delivered = shipped + timedelta(hours=rng.uniform(20, 120))
            fate = rng.random()
            status = OrderStatus.COMPLETED
            refunded = 0
            cancelled_at = cancel_reason = None
            if fate < 0.03:
                status, refunded, cancelled_at, cancel_reason = (OrderStatus.REFUNDED, items, paid + timedelta(hours=2),
                                                                 CancelReason.BUYER)
                shipped = delivered = None
            elif fate < 0.05:
                status, refunded = OrderStatus.COMPLETED, items // 2
            province, city, county = rng.choice(DESTINATIONS)
            orders.append({"id": order_id, "buyer_id": rng.choice(buyer_ids), "status": status, "currency": "CNY",
                           "items_minor": items, "shipping_minor": 0, "total_minor": items,
                           "refunded_minor": refunded, "payment_method": PaymentMethod.BANK_TRANSFER,
                           "reserved_until": placed + timedelta(hours=1), "flagged": False, "flag_reason": "",
                           "recipient": "测试", "mobile": "13800000000", "province": province, "city": city,
                           "county": county, "street": f"{MARKER} {order_id}", "placed_at": placed, "paid_at": paid,
                           "updated_at": paid})
            subs.append({"id": sub_id, "order_id": order_id, "cooperative_id": listing.cooperative_id,
                         "status": status, "items_minor": items, "shipping_minor": 0, "total_minor": items,
                         "refunded_minor": refunded, "stock_released": False, "paid_at": paid, "shipped_at": shipped,
                         "delivered_at": delivered, "completed_at": delivered, "cancelled_at": cancelled_at,
                         "cancel_reason": cancel_reason})
            lines.append({"id": line_id, "sub_order_id": sub_id, "listing_id": listing.id,
                          "variant_id": listing.variant_id,
                          "title": listing.title[:120], "unit": listing.unit, "unit_price_minor": listing.price_minor,
                          "quantity": quantity, "line_total_minor": items, "weight_grams": None})
            if refunded:
                at = (cancelled_at or delivered) + timedelta(hours=1)
                refunds.append({"id": refund_id, "order_id": order_id, "sub_order_id": sub_id,
                                "amount_minor": refunded, "status": RefundStatus.MANUAL, "reason": "buyer_cancelled",
                                "idempotency_key": f"{MARKER}-{refund_id}", "last_error": "",
                                "created_at": at, "updated_at": at})
                refund_id += 1
            order_id, sub_id, line_id = order_id + 1, sub_id + 1, line_id + 1
        with write_transaction():  # one transaction per batch
            for model, rows in ((Order, orders), (SubOrder, subs), (OrderLine, lines), (Refund, refunds)):
                if rows:
                    db.session.execute(insert(model.__table__), rows)
        done += len(orders)
        if progress:
            progress(len(orders))
    _advance_sequences()
    return done


def _advance_sequences() -> None:
    """On PostgreSQL, move each id sequence past the ids handed out here, so later inserts do not collide."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    with write_transaction():
        for model in (Order, SubOrder, OrderLine, Refund):
            table = model.__tablename__
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"))
