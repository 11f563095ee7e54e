"""Snapshots of the public index: one row per month, and its figures in long form.

A month is either provisional (recomputed whenever asked, replaced whole) or published
(frozen: `published_at` set, its figures never written again). Figures are stored one
per row — metric, dimension, key, item — so a new figure (returns, complaints) is a new
metric name, not a new column, and old months simply lack it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.orders.models import Refund, SubOrder
from marketplace.core.timeutil import utcnow


class InsightsMonth(db.Model):
    __tablename__ = "insights_months"

    #: "2026-10".
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set once, when the month is announced; from then on its figures never change.
    published_at: Mapped[datetime | None] = mapped_column()
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The version of the method the figures were computed with (see insights/method.py).
    method_version: Mapped[str] = mapped_column(String(20), default="1")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class InsightsFigure(db.Model):
    __tablename__ = "insights_figures"
    __table_args__ = (
        Index("ix_insights_figures_lookup", "month", "dimension", "metric"),
        Index("ix_insights_figures_trend", "metric", "dimension", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(ForeignKey("insights_months.month", ondelete="CASCADE"))
    #: "gmv", "orders", "ship_hours_median"… (see insights/metrics.py).
    metric: Mapped[str] = mapped_column(String(40))
    #: "all", "province", "county", "gi_product", "category", "poverty", "destination",
    #: "cooperative" (never public).
    dimension: Mapped[str] = mapped_column(String(20))
    #: The province's Chinese name, the county code, the GI product's slug…; "" for "all".
    key: Mapped[str] = mapped_column(String(80), default="")
    #: For ranked lists (a searched word); "" otherwise.
    item: Mapped[str] = mapped_column(String(100), default="")
    value: Mapped[float] = mapped_column(Float)
    #: How many cooperatives (or searches, for demand figures) stand behind the value:
    #: public cells below INSIGHTS_MIN_COUNT are suppressed.
    support: Mapped[int] = mapped_column(default=0)


#: The month's figures read order rows by the moment each thing happened (paid, shipped,
#: delivered, cancelled, refunded): with these indexes publishing a month reads that month's
#: rows instead of scanning every order ever placed. Declared here, beside their only reader,
#: on the order tables (the migration of the public index creates them).
TIME_INDEXES = (
    Index("ix_sub_orders_paid_at", SubOrder.__table__.c.paid_at),
    Index("ix_sub_orders_shipped_at", SubOrder.__table__.c.shipped_at),
    Index("ix_sub_orders_delivered_at", SubOrder.__table__.c.delivered_at),
    Index("ix_sub_orders_cancelled_at", SubOrder.__table__.c.cancelled_at),
    Index("ix_refunds_created_at", Refund.__table__.c.created_at),
)
