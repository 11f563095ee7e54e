"""Seller forms for a listing's sizes and its selling terms (pre-sale, ship days, regions)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.catalog.listing_terms import WEEKDAY_LABELS, ListingTerms
from marketplace.core.forms import BaseForm, BoundedIntegerField
from marketplace.core.numbers import parse_int
from marketplace.core.i18n import current_language
from marketplace.core.regions import province_choices


class VariantForm(BaseForm):
    label = StringField(_l("Size"), validators=[DataRequired(), Length(max=40)],
                        render_kw={"placeholder": _l("5 kg sack, gift box")})
    price = StringField(_l("Price per unit"), validators=[DataRequired(), Length(max=20)],
                        render_kw={"inputmode": "decimal", "placeholder": "12.50"})
    weight_grams = BoundedIntegerField(_l("Weight of one unit, in grams"),
                                       validators=[Optional(), NumberRange(min=1, message=_l("Enter more than zero."))])
    stock = BoundedIntegerField(_l("Stock"), validators=[
        InputRequired(message=_l("Enter the stock as a whole number.")),
        NumberRange(min=0, message=_l("Stock cannot be below zero."))])
    #: The stock the seller saw when the page was loaded (see catalog variants.update_variant).
    stock_seen = HiddenField()

    def stock_seen_value(self) -> int | None:
        return parse_int(self.stock_seen.data)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ListingTermsFields:
    """Fields the listing form adds for pre-sale and shipping terms (mixed into ListingForm)."""

    presale_ships_from = StringField(_l("Pre-sale: ships from (date)"), validators=[Optional(), Length(max=10)],
                                     render_kw={"type": "date"})
    presale_yield_kg = StringField(_l("Pre-sale: expected yield (kg)"), validators=[Optional(), Length(max=20)],
                                   render_kw={"inputmode": "decimal"})
    ship_weekdays = MultiCheckboxField(_l("Ships on"), validate_choice=False,
                                       choices=[(str(day), label) for day, label in enumerate(WEEKDAY_LABELS)])
    excluded_provinces = MultiCheckboxField(_l("Not sent to"), validate_choice=False)
    cold_chain = BooleanField(_l("Sent in the cold chain (fresh produce)"))

    def set_province_choices(self) -> None:
        self.excluded_provinces.choices = province_choices(current_language())

    def terms(self) -> ListingTerms:
        return ListingTerms(presale_ships_from=self.presale_ships_from.data or None,
                            presale_yield_kg=self.presale_yield_kg.data or None,
                            ship_weekdays=list(self.ship_weekdays.data or ()),
                            excluded_provinces=list(self.excluded_provinces.data or ()),
                            cold_chain=bool(self.cold_chain.data))

    def fill_from(self, listing) -> None:
        """Show the listing as stored: its terms, and its first size's price and stock."""
        from marketplace.catalog.models import live_variants
        from marketplace.catalog.pricing import format_price

        default_size = live_variants(listing)[0]
        self.fill_terms(listing)
        self.price.data, self.stock.data = format_price(default_size.price_minor), default_size.stock
        self.stock_seen.data = str(default_size.stock)
        self.status.data, self.batch_id.data = listing.status.value, str(listing.batch_id or "")
        self.cooperative_id.data = str(listing.cooperative_id)

    def fill_terms(self, listing) -> None:
        self.presale_ships_from.data = listing.presale_ships_from.isoformat() if listing.presale_ships_from else ""
        self.presale_yield_kg.data = (f"{listing.presale_yield_kg:f}".rstrip("0").rstrip(".")
                                      if listing.presale_yield_kg is not None else "")
        self.ship_weekdays.data = list(listing.ship_weekdays or "")
        self.excluded_provinces.data = list(listing.excluded_provinces or [])
        self.cold_chain.data = listing.cold_chain
