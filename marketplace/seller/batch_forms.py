"""The batch form, built from the standard itself: one field per parameter, with its unit.

A standard revision that adds a parameter adds a field, without a release: the form class
is made per standard (and per language, for the labels) when a page needs it.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, DecimalField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from gi_standards import Standard
from gi_standards.limits import parse_number
from marketplace.core.forms import BaseForm
from marketplace.catalog.models import QuantityUnit
from marketplace.catalog.services import measurement_field
from marketplace.cooperatives.services import counties_for_choice

UNIT_LABELS = {
    QuantityUnit.KG: _l("kilograms"),
    QuantityUnit.TONNE: _l("tonnes"),
}


class IsNumber:
    """Refuse a value that is not a number (the parameter's unit may follow it)."""

    def __init__(self, unit: str):
        self.unit = unit

    def __call__(self, form, field):
        if field.data and field.data.strip() and parse_number(field.data, self.unit) is None:
            raise ValidationError(_("Enter a number, like 6.2 (the unit is %(unit)s).",
                                    unit=self.unit or "—"))


class BatchForm(BaseForm):
    """The fields every batch has; `batch_form_class` adds the standard's own."""

    cooperative_id = HiddenField()
    #: Checked by the catalog service (any county of China may be declared, and is then
    #: validated against the area); the list offers the provinces of the product's area.
    county_code = SelectField(_l("Origin county"), validators=[DataRequired()], validate_choice=False)
    harvest_date = DateField(_l("Harvest or production date"), validators=[InputRequired()])
    quantity = DecimalField(_l("Certified net quantity"), places=None, validators=[InputRequired()])
    unit = SelectField(_l("Unit"), choices=[(u.value, label) for u, label in UNIT_LABELS.items()])
    lab_name = StringField(_l("Laboratory"), validators=[Optional(), Length(max=120)])
    lab_report_number = StringField(_l("Lab report number"), validators=[Optional(), Length(max=60)])
    lab_report = FileField(_l("Lab report (PDF or image)"))

    #: Set by `batch_form_class`: the standard the form was built from, its measurement
    #: fields by parameter key, and the language of the labels.
    standard: Standard
    measurement_keys: tuple[tuple[str, str], ...] = ()
    _language = "zh"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = {code[:2] for code in self.standard.county_codes} | {(self.county_code.data or "")[:2]}
        self.county_code.choices = [("", "—")] + [
            (county.code, f"{county.province(self._language)} · {county.name(self._language)} ({county.code})")
            for county in counties_for_choice(provinces - {""} or None)
        ]

    @property
    def measurement_fields(self):
        """(field, hint) pairs in the standard's order, the hint saying what the standard asks."""
        return [(self[name], limit_hint(self.standard.parameter(key))) for key, name in self.measurement_keys]

    def measurements(self) -> dict[str, str]:
        return {key: self[name].data for key, name in self.measurement_keys}


def limit_hint(parameter) -> str:
    """Say what the standard asks of a parameter: "Standard: ≤ 6.5 % · required"."""
    parts = []
    if not parameter.limit.is_empty:
        parts.append(_("Standard: %(limit)s", limit=parameter.limit.describe(parameter.unit)))
    if parameter.by_variety:
        parts.append(_("by variety: %(limits)s", limits="; ".join(
            f"{name} {limit.describe(parameter.unit)}" for name, limit in parameter.by_variety)))
    if not parts:
        parts.append(_("No limit in the catalogue yet"))
    parts.append(_("required") if parameter.required else _("optional"))
    return " · ".join(parts)


def batch_form_class(standard: Standard, language: str) -> type[BatchForm]:
    """Make the form class for batches of `standard`, labelled in `language`."""
    attrs: dict = {"standard": standard, "_language": language}
    if standard.varieties:
        attrs["variety"] = SelectField(_l("Variety"), choices=[("", "—")] + [(v, v) for v in standard.varieties],
                                       validators=[Optional()])
    else:
        attrs["variety"] = StringField(_l("Variety"), validators=[Optional(), Length(max=80)])
    if standard.types:
        # Grades may exist for some types only (四级 of 浓香型): every batch says its type.
        attrs["product_type"] = SelectField(_l("Product type"), choices=[("", "—")] + [(t, t) for t in standard.types],
                                            validators=[DataRequired()])
    attrs["grade"] = SelectField(
        _l("Claimed grade"), validators=[Optional()],
        choices=[("", _("No grade claimed"))] + [(g.key, g.names.get(language)) for g in standard.grades])
    keys = []
    for parameter in standard.parameters:
        name = measurement_field(parameter.key)
        label = parameter.names.get(language) + (f" ({parameter.unit})" if parameter.unit else "")
        if parameter.is_text:
            limits = [parameter.limit, *(limit for _variety, limit in parameter.by_variety)]
            allowed = list(dict.fromkeys(v for limit in limits for v in (limit.allowed or ())))
            attrs[name] = SelectField(label, choices=[("", "—")] + [(v, v) for v in allowed],
                                      validators=[Optional()])
        else:
            attrs[name] = StringField(label, validators=[Optional(), Length(max=40), IsNumber(parameter.unit)],
                                      render_kw={"inputmode": "decimal"})
        keys.append((parameter.key, name))
    attrs["measurement_keys"] = tuple(keys)
    return type(f"BatchForm_{standard.slug.replace('-', '_')}", (BatchForm,), attrs)


class ChooseProductForm(BaseForm):
    """The first step of recording a batch: which GI product it is (sent by GET)."""

    class Meta:
        csrf = False

    product = SelectField(_l("GI product"), validators=[DataRequired()])
