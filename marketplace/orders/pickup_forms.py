"""The form a cooperative describes a pickup point with. Meaning is checked again in services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.core.forms import BaseForm
from marketplace.core.i18n import current_language
from marketplace.core.regions import province_choices


class PickupPointForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Name the pickup point, such as 村服务站.")),
                                               Length(max=80)])
    province = SelectField(_l("Province"), validate_choice=False,
                           validators=[DataRequired(message=_l("Choose a province from the list."))])
    city = StringField(_l("City"), validators=[DataRequired(message=_l("Enter the city.")), Length(max=60)])
    county = StringField(_l("County or district"),
                         validators=[DataRequired(message=_l("Enter the county or district.")), Length(max=60)])
    street = StringField(_l("Street address"),
                         validators=[DataRequired(message=_l("Enter the street address.")), Length(max=200)])
    hours = StringField(_l("Opening hours"), validators=[Optional(), Length(max=80)],
                        render_kw={"placeholder": "每天 8:00–18:00"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = [("", "—")] + province_choices(current_language())
