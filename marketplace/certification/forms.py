"""Forms of the certification pages (every POST form carries a CSRF token)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.core.forms import BaseForm, BoundedIntegerField
from marketplace.certification.services.audit_log import ACTIONS, SUBJECT_TYPES
from marketplace.certification.services.decisions import MAX_REASON_LENGTH


class ApplyForm(BaseForm):
    cooperative_id = SelectField(_l("Cooperative"), coerce=int, validators=[InputRequired()])
    standard_slug = SelectField(_l("GI product"), validators=[DataRequired()])
    #: Checked against the product's protected area by the service, not by the choices.
    production_sites = SelectMultipleField(_l("Production sites"), validators=[Optional()],
                                           validate_choice=False)
    statement = TextAreaField(_l("Notes for the county office"),
                              validators=[Length(max=MAX_REASON_LENGTH)])
    origin_report = FileField(_l("Origin verification report (产地核验报告), PDF or image"))
    application_form = FileField(_l("Application form, PDF or image"))


class ResubmitForm(BaseForm):
    answer = TextAreaField(_l("Your answer to the county office"),
                           validators=[DataRequired(), Length(max=MAX_REASON_LENGTH)])
    supplement = FileField(_l("Additional document (optional), PDF or image"))


class ApproveForm(BaseForm):
    number = StringField(_l("Authorization number (leave empty to generate one)"),
                         validators=[Optional(), Length(max=40)])
    valid_from = DateField(_l("Valid from (empty: today)"), validators=[Optional()])
    years = BoundedIntegerField(_l("Valid for (years)"), validators=[InputRequired(), NumberRange(min=1, max=10)])


class ReasonForm(BaseForm):
    """Reject, suspend, revoke: the reason is required (the service checks it too)."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=MAX_REASON_LENGTH)])


class OptionalReasonForm(BaseForm):
    reason = TextAreaField(_l("Note (optional)"), validators=[Length(max=MAX_REASON_LENGTH)])


class RequestInformationForm(BaseForm):
    request = TextAreaField(_l("What is missing"), validators=[DataRequired(), Length(max=MAX_REASON_LENGTH)])


class ConfirmForm(BaseForm):
    """A button that only needs its CSRF token (submit a batch, certify)."""


class CertifyForm(BaseForm):
    """Certify after a review; `certify_form_class` adds one answer and note per finding to check."""

    lab_report_read = BooleanField(_l("I read the lab report document, and it matches this batch"))


def certify_form_class(items) -> type[CertifyForm]:
    """The certify form for the findings `items` (certification.review.ToCheck) of one batch."""
    attrs = {}
    for item in items:
        attrs[item.answer_field] = RadioField(
            _l("Your finding"), choices=[("ok", _l("In order")), ("not_ok", _l("Not in order"))],
            validators=[Optional()], validate_choice=False)
        attrs[item.note_field] = TextAreaField(_l("Note: what you checked"), validators=[Length(max=1000)])
    return type("CertifyFormForBatch", (CertifyForm,), attrs)


class SerialCodesForm(BaseForm):
    count = BoundedIntegerField(_l("Number of package codes to add"),
                                validators=[InputRequired(), NumberRange(min=1, max=100000)])
    net_weight_grams = BoundedIntegerField(_l("Net weight of one package, in grams"),
                                           validators=[Optional(), NumberRange(min=1)])
    #: One of the batch's sizes (choices set by the view; the service refuses any other).
    variant_id = BoundedIntegerField(_l("Size these packages are sold as"), minimum=1,
                                     validators=[Optional()])


class VerifyForm(BaseForm):
    """The public form to type a code; a GET form, so no token is needed."""

    class Meta:
        csrf = False

    code = StringField(_l("Trace code"), validators=[DataRequired(), Length(max=200)])


class CounterfeitReportForm(BaseForm):
    """Tell the market supervisor about a suspected counterfeit (the service checks each field)."""

    code = StringField(_l("Code printed on the package"), validators=[Length(max=200)])
    message = TextAreaField(_l("What looks wrong? Where and when did you buy it?"),
                            validators=[Length(max=5000)])
    contact = StringField(_l("How to reach you (optional: phone, e-mail or WeChat)"),
                          validators=[Length(max=200)])
    photos = MultipleFileField(_l("Photos of the label (optional)"),
                               render_kw={"accept": "image/jpeg,image/png,image/webp"})

    def uploads(self, max_bytes: int):
        """The photos sent (browsers send one empty part when none is chosen)."""
        from marketplace.core.uploads import read_upload

        return [read_upload(storage, max_bytes) for storage in (self.photos.data or [])
                if getattr(storage, "filename", "")]


class AuditFilterForm(BaseForm):
    """Filters of the audit log (GET, read only)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[("", "—")] + [(a, a) for a in ACTIONS],
                         validators=[Optional()])
    county_code = StringField(_l("County code"), validators=[Optional(), Length(min=6, max=6)])
    date_from = DateField(_l("From date"), validators=[Optional()])
    date_to = DateField(_l("To date"), validators=[Optional()])
    subject_type = SelectField(_l("Subject"), choices=[("", "—")] + [(s, s) for s in SUBJECT_TYPES],
                               validators=[Optional()])
    subject_id = StringField(_l("Subject number"), validators=[Optional(), Length(max=64)])
