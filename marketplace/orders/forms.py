"""Cart, checkout, shipping and shipping-rule forms. Meaning is checked again in services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.core.forms import BaseForm, BoundedIntegerField
from marketplace.core.numbers import parse_int
from marketplace.core.i18n import current_language
from marketplace.orders.invoice_forms import CheckoutInvoiceFields
from marketplace.orders.models import PaymentMethod, ShippingFeeKind
from marketplace.core.phones import DEFAULT_REGION, region_choices
from marketplace.core.regions import province_choices
from marketplace.orders.services.fulfilment import CARRIERS

PAYMENT_LABELS = {
    PaymentMethod.STRIPE: _l("Pay online now (card, Alipay, WeChat Pay)"),
    PaymentMethod.BANK_TRANSFER: _l("Bank transfer to each cooperative"),
    PaymentMethod.CASH_ON_DELIVERY: _l("Cash on delivery"),
}


class QuantityField(IntegerField):
    """A whole number of units, with a message a shopper understands when it is not one."""

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        self.data = parse_int(valuelist[0])
        if self.data is None:
            raise ValueError(_l("Enter a whole number, such as 1."))


class AddToCartForm(BaseForm):
    listing_id = BoundedIntegerField(_l("Product"), validators=[InputRequired()], minimum=1)
    #: The size chosen; may be left out for a listing sold in one size only.
    variant_id = BoundedIntegerField(_l("Size"), validators=[Optional()], minimum=1)
    quantity = QuantityField(_l("Quantity"), default=1,
                             validators=[InputRequired(message=_l("Enter a whole number, such as 1."))])


class CartQuantityForm(BaseForm):
    quantity = QuantityField(_l("Quantity"), validators=[InputRequired(message=_l("Enter a whole number, such as 1."))])
    variant_id = BoundedIntegerField(_l("Size"), validators=[Optional()], minimum=1)


class CartLineForm(BaseForm):
    """Names the size of a cart line to remove (a listing may be in the cart in two sizes)."""

    variant_id = BoundedIntegerField(_l("Size"), validators=[Optional()], minimum=1)


#: Fields a pickup order does not need: the pickup point is the address.
ADDRESS_ONLY_FIELDS = ("province", "city", "county", "street")


class CheckoutForm(CheckoutInvoiceFields, BaseForm):
    recipient = StringField(_l("Recipient"), validators=[DataRequired(message=_l("Enter the recipient's name.")),
                                                         Length(max=60)])
    mobile_region = SelectField(_l("Country code"), default=DEFAULT_REGION, validate_choice=False)
    #: Checked (and turned into E.164) by the checkout service, which names this field.
    mobile = StringField(_l("Mobile number"), validators=[
        DataRequired(message=_l("Enter a mobile number, such as 13812345678.")), Length(max=32)],
        render_kw={"inputmode": "tel", "autocomplete": "tel-national"})
    province = SelectField(_l("Province"), validate_choice=False,
                           validators=[DataRequired(message=_l("Choose a province from the list."))])
    city = StringField(_l("City"), validators=[DataRequired(message=_l("Enter the city.")), Length(max=60)])
    county = StringField(_l("County or district"),
                         validators=[DataRequired(message=_l("Enter the county or district.")), Length(max=60)])
    street = StringField(_l("Street address"),
                         validators=[DataRequired(message=_l("Enter the street address.")), Length(max=200)])
    payment_method = RadioField(_l("Payment"), validate_choice=False,
                                validators=[InputRequired(message=_l("Choose how you want to pay."))])
    delivery = RadioField(_l("Delivery"), default="address", choices=[
        ("address", _l("Deliver to my address")), ("pickup", _l("Collect at a pickup point (no shipping fee)"))])
    pickup_point_id = SelectField(_l("Pickup point"), validate_choice=False, validators=[Optional()])

    def __init__(self, methods, *args, pickup_points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pickup_point_id.choices = [("", "—")] + [(str(p.id), f"{p.name} · {p.address}") for p in pickup_points]
        if self.delivery.data == "pickup":
            for name in ADDRESS_ONLY_FIELDS:
                self[name].validators = [Optional()]
            self.pickup_point_id.validators = [DataRequired(message=_l("Choose a pickup point from the list."))]
        self.province.choices = [("", "—")] + province_choices(current_language())
        self.mobile_region.choices = region_choices()
        self.payment_method.choices = [(method.value, PAYMENT_LABELS[method]) for method in methods]
        if not self.payment_method.data and methods:
            self.payment_method.data = methods[0].value


class ShipForm(BaseForm):
    carrier = SelectField(_l("Carrier"), validators=[DataRequired(message=_l("Choose the carrier from the list."))])
    tracking_number = StringField(_l("Tracking number"), validators=[
        DataRequired(message=_l("Enter the tracking number: 6 to 40 letters, digits or dashes.")), Length(max=60)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = current_language()
        self.carrier.choices = [("", "—")] + [(code, zh if language == "zh" else en) for code, zh, en in CARRIERS]


class SellerCancelForm(BaseForm):
    reason = TextAreaField(_l("Why you cancel (the buyer reads this)"),
                           validators=[DataRequired(message=_l("Tell the buyer why you cancel.")), Length(max=500)])


class ShippingRuleForm(BaseForm):
    cooperative_id = HiddenField()
    kind = RadioField(_l("How the fee is charged"), choices=[
        (ShippingFeeKind.FLAT.value, _l("A flat fee per parcel")),
        (ShippingFeeKind.PER_KG.value, _l("A fee per started kilogram")),
        (ShippingFeeKind.PER_ITEM.value, _l("A fee per item")),
    ], default=ShippingFeeKind.FLAT.value, validators=[InputRequired(message=_l("Choose how the fee is charged."))])
    fee = StringField(_l("Fee (yuan)"), validators=[DataRequired(message=_l("Enter an amount, such as 12.50.")),
                                                    Length(max=20)])
    free_above = StringField(_l("Free shipping from (yuan, optional)"), validators=[Optional(), Length(max=20)])
    excluded_provinces = SelectMultipleField(_l("Provinces you do not ship to"), validate_choice=False,
                                             option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.excluded_provinces.choices = province_choices(current_language())
