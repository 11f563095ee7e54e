"""A production batch: what a cooperative harvested or made, and what the lab measured."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.enums import enum_column
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow


class QuantityUnit(str, enum.Enum):
    KG = "kg"
    TONNE = "t"
    PIECE = "piece"
    BOX = "box"


class Batch(db.Model):
    __tablename__ = "batches"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    #: The GI product, by its catalogue slug ("longjing-tea").
    standard_slug: Mapped[str] = mapped_column(String(80), index=True)
    #: Where it was grown or made; checked against the standard's protected area.
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"))
    harvest_date: Mapped[date] = mapped_column()
    variety: Mapped[str | None] = mapped_column(String(80))
    grade: Mapped[str | None] = mapped_column(String(40))
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    unit: Mapped[QuantityUnit] = mapped_column(enum_column(QuantityUnit), default=QuantityUnit.KG)
    #: The certified net quantity in kilograms, from `quantity` and `unit` when saved: what
    #: the listings of the batch may offer and sell together (see catalog.services.mass_balance).
    #: None only for batches recorded by count (pieces, boxes) before weights were required.
    quantity_kg: Mapped[Decimal | None] = mapped_column(Numeric(15, 3))
    lab_name: Mapped[str] = mapped_column(String(120), default="")
    lab_report_number: Mapped[str] = mapped_column(String(60), default="")
    #: Measured values by parameter key, numbers as floats and text as strings.
    measurements: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The lab report file under UPLOAD_FOLDER/lab-reports, by its random stored name.
    lab_report_file: Mapped[str | None] = mapped_column(String(80))
    lab_report_mime: Mapped[str | None] = mapped_column(String(40))
    lab_report_original_name: Mapped[str | None] = mapped_column(String(200))
    #: The gi_standards Report of the last validation, as Report.to_dict().
    validation: Mapped[dict] = mapped_column(JSON, default=dict)
    validation_passed: Mapped[bool] = mapped_column(default=False, index=True)
    best_grade: Mapped[str | None] = mapped_column(String(40))
    #: The standard version the last validation used.
    standard_version_id: Mapped[int | None] = mapped_column(ForeignKey("standard_versions.id"))
    validated_at: Mapped[datetime | None] = mapped_column()
    #: Set when the batch is sent for certification: what an official reviews, certifies
    #: and prints on labels must not change afterwards. Cleared if the review rejects it.
    locked_at: Mapped[datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    cooperative: Mapped["Cooperative"] = relationship()  # noqa: F821
    county: Mapped["County"] = relationship()  # noqa: F821
    standard_version: Mapped["StandardVersion"] = relationship()  # noqa: F821

    @property
    def quantity_grams(self) -> int | None:
        """The certified net quantity in whole grams, or None if it was never given by weight."""
        if self.quantity_kg is None:
            return None
        return int(Decimal(self.quantity_kg) * 1000)
