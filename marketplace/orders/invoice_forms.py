"""The buyer's invoice request and the cooperative's invoice upload. The service checks again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import Length, Optional

from marketplace.core.forms import BaseForm


class InvoiceRequestForm(BaseForm):
    kind = RadioField(_l("Invoice for"), choices=[("personal", _l("A person")), ("company", _l("A company"))],
                      default="personal", validate_choice=False)
    title = StringField(_l("Invoice title (name)"), validators=[Length(max=100)])
    taxpayer_id = StringField(_l("Taxpayer id (unified social credit code)"),
                              validators=[Optional(), Length(max=30)])


class CheckoutInvoiceFields:
    """The invoice (发票) a shopper may ask for while placing the order; mixed into the checkout form.

    Read only when `invoice_wanted` is ticked: the other answers are then checked by the
    invoice service, which names the field it refuses.
    """

    invoice_wanted = BooleanField(_l("I need an invoice (发票) for this order"))
    invoice_kind = RadioField(_l("Invoice for"), choices=[("personal", _l("A person")), ("company", _l("A company"))],
                              default="personal", validate_choice=False)
    invoice_title = StringField(_l("Invoice title (name)"), validators=[Length(max=100)])
    invoice_taxpayer_id = StringField(_l("Taxpayer id (unified social credit code)"),
                                      validators=[Optional(), Length(max=30)])

    def invoice_answers(self) -> dict | None:
        """The invoice request as plain values, or None when no invoice is wanted."""
        if not self.invoice_wanted.data:
            return None
        return {"kind": self.invoice_kind.data, "title": self.invoice_title.data,
                "taxpayer_id": self.invoice_taxpayer_id.data}


class InvoiceUploadForm(BaseForm):
    invoice_file = FileField(_l("Invoice file (PDF or image)"))
