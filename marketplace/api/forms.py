"""The form that makes an API token (its meaning is checked again in api.tokens)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from marketplace.core.forms import BaseForm


class TokenForm(BaseForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Give the token a name, such as “stock sheet”.")), Length(max=60)])
    scope = RadioField(_l("What it may do"), default="read", choices=[
        ("read", _l("Read listings and orders")),
        ("write", _l("Read, and change stock, price and shipments"))])


class ExportTokenForm(BaseForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Give the token a name, such as “stock sheet”.")), Length(max=60)])
