"""Forms of the after-sales pages. They only carry the fields: the services check the values
(amounts, lengths, states) and name the field they refuse."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.validators import Length

from marketplace.core.forms import BaseForm


class AfterSaleRequestForm(BaseForm):
    kind = RadioField(_l("What do you want?"), choices=[("refund", _l("A refund only (keep the goods)")),
                                                        ("return", _l("Return the goods for a refund"))],
                      default="refund", validate_choice=False)
    reason = TextAreaField(_l("What is wrong?"), validators=[Length(max=4000)])
    amount = StringField(_l("Amount to refund (yuan)"), validators=[Length(max=20)])
    photos = MultipleFileField(_l("Photos (optional)"))


class ReturnTrackingForm(BaseForm):
    tracking_number = StringField(_l("Tracking number of the parcel you sent back"), validators=[Length(max=60)])


class AcceptForm(BaseForm):
    amount = StringField(_l("Amount to refund (yuan)"), validators=[Length(max=20)])


class GoodsBackForm(BaseForm):
    instructions = TextAreaField(_l("Where should the buyer send the goods?"), validators=[Length(max=2000)])


class RefuseForm(BaseForm):
    reason = TextAreaField(_l("Why do you refuse?"), validators=[Length(max=2000)])


class DecideForm(BaseForm):
    decision = RadioField(_l("Decision"), choices=[("grant", _l("Grant a refund")), ("dismiss", _l("Dismiss"))],
                          default="grant", validate_choice=False)
    amount = StringField(_l("Amount to refund (yuan)"), validators=[Length(max=20)])
    note = TextAreaField(_l("Reason for the decision"), validators=[Length(max=2000)])
