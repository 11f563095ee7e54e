"""Seller forms: listings, the cooperative switcher and one-click actions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.core.forms import BaseForm, BoundedIntegerField
from marketplace.core.numbers import parse_int
from marketplace.catalog.labels import CATEGORY_LABELS, STATUS_LABELS
from marketplace.seller.variant_forms import ListingTermsFields


class ListingForm(ListingTermsFields, BaseForm):
    cooperative_id = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])
    title_en = StringField(_l("English title (optional)"), validators=[Optional(), Length(max=120)])
    description_en = TextAreaField(_l("English description (optional)"), validators=[Optional(), Length(max=20000)])
    category = SelectField(_l("Category"), choices=list(CATEGORY_LABELS.items()))
    price = StringField(_l("Price per unit"), validators=[DataRequired(), Length(max=20)],
                        render_kw={"inputmode": "decimal", "placeholder": "12.50"})
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=40)],
                       render_kw={"placeholder": _l("500 g box")})
    weight_grams = BoundedIntegerField(_l("Weight of one unit, in grams"),
                                validators=[Optional(), NumberRange(min=1, message=_l("Enter more than zero."))])
    stock = BoundedIntegerField(_l("Stock"), validators=[
        InputRequired(message=_l("Enter the stock as a whole number.")),
        NumberRange(min=0, message=_l("Stock cannot be below zero."))])
    #: The stock the seller saw when the form was loaded (see services.update_listing).
    stock_seen = HiddenField()
    status = SelectField(_l("Status"), choices=[(s.value, label) for s, label in STATUS_LABELS.items()])
    batch_id = SelectField(_l("Production batch"), choices=[("", "—")], validators=[Optional()])
    photos = MultipleFileField(_l("Photos (JPEG, PNG or WebP)"),
                               render_kw={"accept": "image/jpeg,image/png,image/webp"})

    def set_batch_choices(self, choices: list[tuple[str, str]]) -> None:
        self.batch_id.choices = [("", _l("No batch linked"))] + choices

    def uploads(self):
        """The non-empty file inputs (browsers send one empty part when none is chosen)."""
        return [storage for storage in (self.photos.data or []) if getattr(storage, "filename", "")]

    def batch_id_value(self) -> int | None:
        return parse_int(self.batch_id.data, minimum=1)

    def stock_seen_value(self) -> int | None:
        return parse_int(self.stock_seen.data)


class SwitchCooperativeForm(BaseForm):
    cooperative_id = SelectField(_l("Cooperative"), coerce=int)


class StatusForm(BaseForm):
    status = HiddenField(validators=[DataRequired()])
