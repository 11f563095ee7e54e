"""The buyer's invoice request and the cooperative's invoice upload. The service checks again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, StringField
from wtforms.validators import Length, Optional

from marketplace.core.forms import BaseForm


class InvoiceRequestForm(BaseForm):
    kind = RadioField(_l("Invoice for"), choices=[("personal", _l("A person")), ("company", _l("A company"))],
                      default="personal", validate_choice=False)
    title = StringField(_l("Invoice title (name)"), validators=[Length(max=100)])
    taxpayer_id = StringField(_l("Taxpayer id (unified social credit code)"),
                              validators=[Optional(), Length(max=30)])


class InvoiceUploadForm(BaseForm):
    invoice_file = FileField(_l("Invoice file (PDF or image)"))
