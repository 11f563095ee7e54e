"""Production batches: recording them, and validating every save against the standard.

A batch is judged by the standard in force when it is saved; the report is stored with it,
with the version that judged it, so the finding shown to an official or a buyer years
later is the one the cooperative saw.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from gi_standards import Declaration, Report, Standard
from gi_standards.limits import parse_number
from marketplace.core.audit import record
from marketplace.core.errors import DomainError, NotAllowed, NotFound
from marketplace.catalog.lab_reports import PreparedLabReport, prepare_lab_report, store_lab_report
from marketplace.catalog.models import Batch, QuantityUnit
from marketplace.catalog.services.access import is_member
from marketplace.catalog.services.mass_balance import check_batch_quantity
from marketplace.catalog.standards import current_version, standard_for
from marketplace.core.text import clean_text
from marketplace.core import storage
from marketplace.core.counties import County
from marketplace.core.database import write_transaction
from marketplace.extensions import db
from marketplace.core.timeutil import utcnow
from marketplace.core.uploads import Upload

MAX_QUANTITY = Decimal("999999999.999")
#: Units a certified quantity may be given in, and how many kilograms one of them is.
WEIGHT_UNITS = {QuantityUnit.KG: Decimal(1), QuantityUnit.TONNE: Decimal(1000)}
EARLIEST_HARVEST = date(2000, 1, 1)


def measurement_field(key: str) -> str:
    """The form field that holds the measured value of a standard's parameter."""
    return f"measurement_{key}"


@dataclass(frozen=True)
class BatchDetails:
    """What the cooperative states about a batch, as typed (the form's plain values)."""

    county_code: str
    harvest_date: date | None
    quantity: Decimal | str | None
    unit: str
    variety: str | None = None
    grade: str | None = None
    lab_name: str = ""
    lab_report_number: str = ""
    #: The standard's product type (清香型 …), where it lists types.
    product_type: str | None = None
    #: Parameter key -> the value as typed ("6.2") or chosen; blanks mean "not measured".
    measurements: Mapping[str, str | float | None] = field(default_factory=dict)


def _quantity(raw) -> Decimal:
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw or "").strip())
    except InvalidOperation:
        raise DomainError(_("Enter the quantity as a number, like 120 or 12.5."), "quantity") from None
    if not value.is_finite() or value <= 0:
        raise DomainError(_("The quantity must be more than zero."), "quantity")
    if value > MAX_QUANTITY:
        raise DomainError(_("This quantity is too large."), "quantity")
    if value != value.quantize(Decimal("0.001")):
        raise DomainError(_("Give the quantity with at most three decimals."), "quantity")
    return value


def _harvest_date(value) -> date:
    if not isinstance(value, date):
        raise DomainError(_("Enter the harvest or production date."), "harvest_date")
    if value > date.today() + timedelta(days=1):
        raise DomainError(_("The harvest date cannot be in the future."), "harvest_date")
    if value < EARLIEST_HARVEST:
        raise DomainError(_("The harvest date is too far in the past."), "harvest_date")
    return value


def _text(value, limit: int, field_name: str) -> str:
    text = (clean_text(value) if isinstance(value, str) else "").strip()
    if len(text) > limit:
        raise DomainError(_("At most %(count)s characters.", count=limit), field_name)
    return text


def clean_measurements(standard: Standard, raw: Mapping) -> dict:
    """Keep the standard's parameters only: numbers as floats, chosen values as text.

    A numeric value that is not a number is refused here, on its own field, rather than
    saved and reported: the seller mistyped, the lab did not measure "abc".
    """
    cleaned: dict[str, float | str] = {}
    for parameter in standard.parameters:
        value = raw.get(parameter.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if parameter.is_text:
            text = clean_text(str(value)).strip()
            if len(text) > 80:
                raise DomainError(_("At most %(count)s characters.", count=80),
                                   measurement_field(parameter.key))
            cleaned[parameter.key] = text
            continue
        number = parse_number(value, parameter.unit)
        if number is None:
            raise DomainError(_("Enter a number, like 6.2 (the unit is %(unit)s).",
                                 unit=parameter.unit or "—"), measurement_field(parameter.key))
        cleaned[parameter.key] = number
    return cleaned


def _clean(standard: Standard, details: BatchDetails) -> dict:
    try:
        unit = QuantityUnit(details.unit)
    except ValueError:
        raise DomainError(_("Choose a unit from the list."), "unit") from None
    if unit not in WEIGHT_UNITS:
        raise DomainError(_("Give the certified quantity as a weight, in kilograms or tonnes: "
                             "listings and labels count against it."), "unit")
    quantity = _quantity(details.quantity)
    return {
        "county_code": _text(details.county_code, 6, "county_code"),
        "harvest_date": _harvest_date(details.harvest_date),
        "variety": _text(details.variety, 80, "variety") or None,
        "grade": _text(details.grade, 40, "grade") or None,
        "product_type": _text(details.product_type, 40, "product_type") or None,
        "quantity": quantity,
        "unit": unit,
        "quantity_kg": quantity * WEIGHT_UNITS[unit],
        "lab_name": _text(details.lab_name, 120, "lab_name"),
        "lab_report_number": _text(details.lab_report_number, 60, "lab_report_number"),
        "measurements": clean_measurements(standard, details.measurements or {}),
    }


def validate_batch(batch: Batch, standard: Standard) -> Report:
    """Judge the batch by `standard` and keep the report, its verdict and the version."""
    report = standard.validate(Declaration(
        county_code=batch.county_code, harvest_date=batch.harvest_date, variety=batch.variety,
        grade=batch.grade, measurements=dict(batch.measurements or {}), product_type=batch.product_type))
    batch.validation = report.to_dict()
    batch.validation_passed = report.passed
    batch.best_grade = report.best_grade
    batch.standard_version = current_version(standard.slug)
    batch.validated_at = utcnow()
    return report


def report_of(batch: Batch) -> Report | None:
    """The stored validation report of a batch, or None if it has none (or an unreadable one)."""
    if not batch.validation:
        return None
    try:
        return Report.from_dict(batch.validation)
    except (KeyError, TypeError, ValueError):
        return None


def _prepare(lab_report: Upload | None) -> PreparedLabReport | None:
    """Check and re-encode a lab report before any transaction: decoding holds no lock."""
    return prepare_lab_report(lab_report) if lab_report is not None else None


def _apply(batch: Batch, values: dict, lab_report: PreparedLabReport | None) -> str | None:
    """Set the batch's values and attach a new lab report; return the replaced file's name."""
    if db.session.get(County, values["county_code"]) is None:
        raise DomainError(_("Choose a county from the list."), "county_code")
    for name, value in values.items():
        setattr(batch, name, value)
    if lab_report is None:
        return None
    stored = store_lab_report(lab_report)
    replaced = batch.lab_report_file
    batch.lab_report_file = stored.filename
    batch.lab_report_mime = stored.mime
    batch.lab_report_original_name = stored.original_name
    return replaced


def _save(batch: Batch, standard: Standard, user, action: str, replaced: str | None) -> Batch:
    db.session.flush()
    report = validate_batch(batch, standard)
    storage.remove_after_commit(storage.LAB_REPORTS, replaced)
    record(action, "batch", batch.id, actor=user, county_code=batch.county_code,
           standard_version=batch.standard_version.label if batch.standard_version else None,
           passed=report.passed, best_grade=report.best_grade)
    return batch


def record_batch(user, cooperative_id: int, standard_slug: str, details: BatchDetails,
                 lab_report: Upload | None = None) -> Batch:
    """Record a new batch of a GI product for a cooperative the user belongs to."""
    standard = standard_for(standard_slug)
    if standard is None:
        raise DomainError(_("Choose a GI product from the catalogue."), "standard_slug")
    values = _clean(standard, details)
    prepared = _prepare(lab_report)
    with write_transaction():
        if not is_member(user, cooperative_id):
            raise NotAllowed(_("You are not a member of this cooperative."))
        batch = Batch(cooperative_id=cooperative_id, standard_slug=standard.slug, created_by_id=user.id)
        _apply(batch, values, prepared)
        db.session.add(batch)
        return _save(batch, standard, user, "batch.recorded", None)


def update_batch(user, batch_id: int, details: BatchDetails, lab_report: Upload | None = None) -> Batch:
    """Change a batch's details (its GI product stays) and validate it again."""
    prepared = _prepare(lab_report)
    with write_transaction():
        batch = db.session.scalar(select(Batch).where(Batch.id == batch_id).with_for_update()
                                  .execution_options(populate_existing=True))
        if batch is None or not is_member(user, batch.cooperative_id):
            raise NotFound(_("This batch is not one of your cooperative's."))
        if batch.locked_at is not None:
            raise DomainError(_("This batch was sent for certification and can no longer change. "
                                 "Record a new batch for new figures."))
        standard = standard_for(batch.standard_slug)
        if standard is None:
            raise DomainError(_("The GI product of this batch is no longer in the catalogue."))
        replaced = _apply(batch, _clean(standard, details), prepared)
        check_batch_quantity(batch)
        return _save(batch, standard, user, "batch.updated", replaced)


def batches_of(cooperative_id: int) -> list[Batch]:
    """A cooperative's batches, newest harvest first."""
    return list(db.session.scalars(
        select(Batch).where(Batch.cooperative_id == cooperative_id)
        .order_by(Batch.harvest_date.desc(), Batch.id.desc())))
