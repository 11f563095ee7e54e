"""The supervisor's publish form: one month, written YYYY-MM."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from marketplace.core.forms import BaseForm


class PublishMonthForm(BaseForm):
    month = StringField(_l("Month"), validators=[
        DataRequired(), Length(max=7),
        Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message=_l("Write the month as YYYY-MM, e.g. 2026-10."))])
