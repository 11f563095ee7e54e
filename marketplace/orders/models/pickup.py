"""Pickup points: village service stations where a cooperative's shoppers collect parcels."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class PickupPoint(db.Model):
    """A place a cooperative hands parcels over; chosen at checkout instead of an address."""

    __tablename__ = "pickup_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    province: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(60))
    county: Mapped[str] = mapped_column(String(60))
    street: Mapped[str] = mapped_column(String(200))
    #: Opening hours as the station writes them ("每天 8:00–18:00").
    hours: Mapped[str] = mapped_column(String(80), default="")
    #: A point taken out of use stays for the orders that name it.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cooperative: Mapped["Cooperative"] = relationship()  # noqa: F821

    @property
    def address(self) -> str:
        return f"{self.province} {self.city} {self.county} {self.street}"
