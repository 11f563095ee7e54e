"""Cooperative forms."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from marketplace.cooperatives.services import counties_for_choice
from marketplace.core.forms import BaseForm
from marketplace.i18n import current_language


class CooperativeForm(BaseForm):
    name = StringField(_l("Cooperative name"), validators=[DataRequired(), Length(max=120)])
    credit_code = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), Length(min=18, max=18)]
    )
    county_code = SelectField(_l("County"), validators=[DataRequired()])
    address = StringField(_l("Address"), validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Contact phone"), validators=[DataRequired(), Length(max=20)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = current_language()
        self.county_code.choices = [("", "—")] + [
            (county.code, f"{county.province(language)} · {county.name(language)} ({county.code})")
            for county in counties_for_choice()
        ]


class InviteForm(BaseForm):
    email = EmailField(_l("Email of the person to invite"), validators=[DataRequired(), Length(max=254)])


class StatusForm(BaseForm):
    reason = StringField(_l("Reason"), validators=[Length(max=500)])
