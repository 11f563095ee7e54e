"""How a cooperative charges for shipping, and where it will not ship."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class ShippingFeeKind(str, enum.Enum):
    FLAT = "flat"
    PER_KG = "per_kg"
    PER_ITEM = "per_item"


class ShippingRule(db.Model):
    """One rule per cooperative; a cooperative without one charges the default flat fee."""

    __tablename__ = "shipping_rules"
    __table_args__ = (
        CheckConstraint("fee_minor >= 0", name="fee_not_negative"),
        CheckConstraint("free_above_minor IS NULL OR free_above_minor > 0", name="free_above_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[ShippingFeeKind] = mapped_column(enum_column(ShippingFeeKind), default=ShippingFeeKind.FLAT)
    #: The flat fee, or the fee per started kilogram, or per item, in minor units.
    fee_minor: Mapped[int] = mapped_column(default=0)
    #: Shipping is free when the cooperative's part of the basket reaches this amount.
    free_above_minor: Mapped[int | None] = mapped_column()
    #: Provinces (their Chinese names, as in core.regions) the cooperative does not ship to.
    excluded_provinces: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    cooperative: Mapped["Cooperative"] = relationship()  # noqa: F821
