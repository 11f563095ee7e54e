"""Orders: one per basket, split into one sub-order per cooperative, with their lines.

The sub-order is what a cooperative fulfils and what moves through the order's life
(see services.lifecycle for the transition table); the order's own status is the least
advanced of its live sub-orders, kept in step by the same service.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class OrderStatus(str, enum.Enum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


#: The forward path; an order is as far along it as its least advanced live sub-order.
PROGRESS = (OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, OrderStatus.SHIPPED,
            OrderStatus.DELIVERED, OrderStatus.COMPLETED)
ENDED = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


class PaymentMethod(str, enum.Enum):
    STRIPE = "stripe"
    BANK_TRANSFER = "bank_transfer"
    CASH_ON_DELIVERY = "cash_on_delivery"

    @property
    def provider(self) -> str:
        return "stripe" if self is PaymentMethod.STRIPE else "offline"


class CancelReason(str, enum.Enum):
    BUYER = "buyer"
    EXPIRED = "expired"
    SELLER = "seller"
    PAYMENT_FAILED = "payment_failed"


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("items_minor >= 0 AND shipping_minor >= 0", name="amounts_not_negative"),
        CheckConstraint("total_minor = items_minor + shipping_minor", name="total_adds_up"),
        CheckConstraint("refunded_minor >= 0", name="refunded_not_negative"),
        Index("ix_orders_status_reserved_until", "status", "reserved_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), default=OrderStatus.PENDING_PAYMENT)
    currency: Mapped[str] = mapped_column(String(3))
    items_minor: Mapped[int] = mapped_column()
    shipping_minor: Mapped[int] = mapped_column()
    total_minor: Mapped[int] = mapped_column()
    #: What has been given back so far, as the provider confirmed it (or the seller, offline).
    refunded_minor: Mapped[int] = mapped_column(default=0)
    payment_method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    #: The provider's checkout id (a Stripe Checkout Session id).
    payment_reference: Mapped[str | None] = mapped_column(String(255), unique=True)
    #: Where the shopper pays (the hosted checkout page), while it can be paid.
    payment_url: Mapped[str | None] = mapped_column(Text)
    #: The provider's payment id once money moved (a Stripe PaymentIntent id).
    payment_intent: Mapped[str | None] = mapped_column(String(255), index=True)
    #: Unpaid sub-orders give their stock back after this moment.
    reserved_until: Mapped[datetime] = mapped_column()
    #: Set when a provider event did not match the order (amount, currency, checkout).
    flagged: Mapped[bool] = mapped_column(default=False, index=True)
    flag_reason: Mapped[str] = mapped_column(Text, default="")
    recipient: Mapped[str] = mapped_column(String(60))
    mobile: Mapped[str] = mapped_column(String(11))
    province: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(60))
    county: Mapped[str] = mapped_column(String(60))
    street: Mapped[str] = mapped_column(String(200))
    placed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: When the order as a whole became paid.
    paid_at: Mapped[datetime | None] = mapped_column()
    #: When a provider's payment was applied to this order: it is applied once only.
    payment_received_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    buyer: Mapped["User"] = relationship()  # noqa: F821
    sub_orders: Mapped[list[SubOrder]] = relationship(
        back_populates="order", order_by="SubOrder.id", cascade="all, delete-orphan")
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="(OrderEvent.created_at, OrderEvent.id)", cascade="all, delete-orphan")

    @property
    def provider(self) -> str:
        return self.payment_method.provider

    @property
    def address_lines(self) -> tuple[str, str]:
        """The address as it is written on a Chinese parcel: place, then person and phone."""
        return (f"{self.province} {self.city} {self.county} {self.street}",
                f"{self.recipient} {self.mobile}")


class SubOrder(db.Model):
    """The part of an order one cooperative fulfils, with its own shipping fee and parcel."""

    __tablename__ = "sub_orders"
    __table_args__ = (
        UniqueConstraint("order_id", "cooperative_id"),
        CheckConstraint("total_minor = items_minor + shipping_minor", name="total_adds_up"),
        CheckConstraint("refunded_minor >= 0 AND refunded_minor <= total_minor", name="refund_within_total"),
        Index("ix_sub_orders_cooperative_status", "cooperative_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), default=OrderStatus.PENDING_PAYMENT)
    items_minor: Mapped[int] = mapped_column()
    shipping_minor: Mapped[int] = mapped_column()
    total_minor: Mapped[int] = mapped_column()
    refunded_minor: Mapped[int] = mapped_column(default=0)
    #: True once this part's reserved stock has gone back on sale.
    stock_released: Mapped[bool] = mapped_column(default=False)
    cancel_reason: Mapped[CancelReason | None] = mapped_column(enum_column(CancelReason))
    carrier: Mapped[str | None] = mapped_column(String(40))
    tracking_number: Mapped[str | None] = mapped_column(String(40))
    paid_at: Mapped[datetime | None] = mapped_column()
    payment_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shipped_at: Mapped[datetime | None] = mapped_column()
    delivered_at: Mapped[datetime | None] = mapped_column()
    completed_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()

    order: Mapped[Order] = relationship(back_populates="sub_orders")
    cooperative: Mapped["Cooperative"] = relationship()  # noqa: F821
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="sub_order", order_by="OrderLine.listing_id", cascade="all, delete-orphan")

    @property
    def is_live(self) -> bool:
        return self.status not in ENDED


class OrderLine(db.Model):
    """A product in a sub-order, with its price and title as they were when ordered."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_minor > 0", name="price_positive"),
        CheckConstraint("line_total_minor = unit_price_minor * quantity", name="line_total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sub_order_id: Mapped[int] = mapped_column(ForeignKey("sub_orders.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(40))
    unit_price_minor: Mapped[int] = mapped_column()
    quantity: Mapped[int] = mapped_column()
    line_total_minor: Mapped[int] = mapped_column()
    weight_grams: Mapped[int | None] = mapped_column()

    sub_order: Mapped[SubOrder] = relationship(back_populates="lines")
    listing: Mapped["Listing"] = relationship()  # noqa: F821


class OrderEvent(db.Model):
    """One step in an order's timeline, as the buyer and the sellers see it."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    sub_order_id: Mapped[int | None] = mapped_column(ForeignKey("sub_orders.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: What happened: an action of the transition table ("pay", "ship"…), "placed",
    #: "status" (the order's own status moved), "payment_mismatch", "refund"…
    kind: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    order: Mapped[Order] = relationship(back_populates="events")
    sub_order: Mapped[SubOrder | None] = relationship()
    actor: Mapped["User | None"] = relationship()  # noqa: F821
