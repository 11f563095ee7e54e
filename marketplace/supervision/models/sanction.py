"""Sanctions: what a market supervisor did to a seller, and why (a public record)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class SanctionKind(str, enum.Enum):
    LISTING_TAKEN_DOWN = "listing_taken_down"
    BATCH_FROZEN = "batch_frozen"
    COOPERATIVE_SUSPENDED = "cooperative_suspended"
    COOPERATIVE_REINSTATED = "cooperative_reinstated"


class Sanction(db.Model):
    """One supervisor's measure against a cooperative, with its reason, shown on its page.

    A taken-down listing and a frozen batch stay so until a supervisor lifts the measure:
    no seller's save may put them back on sale (see supervision.services.guards). A lifted
    measure stays on the record, with when, by whom and why it was lifted.
    """

    __tablename__ = "sanctions"
    __table_args__ = (Index("ix_sanctions_cooperative_created", "cooperative_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SanctionKind] = mapped_column(enum_column(SanctionKind, length=30))
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: What the measure paused, {listing id: status before}, so lifting it restores them.
    paused_listings: Mapped[dict | None] = mapped_column(JSON)
    #: True when freezing the batch recalled its certificate (lifting it ends that recall).
    recalled: Mapped[bool] = mapped_column(default=False, server_default=false())
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lift_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    cooperative: Mapped[Cooperative] = relationship()  # noqa: F821

    @property
    def is_lifted(self) -> bool:
        return self.lifted_at is not None
