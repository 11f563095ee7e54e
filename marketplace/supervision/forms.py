"""Forms of the supervision pages; the services check every value again."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from marketplace.core.forms import BaseForm
from marketplace.core.uploads import read_upload

_PHOTO_INPUT = {"accept": "image/jpeg,image/png,image/webp"}


class _WithPhotos:
    def uploads(self):
        """The photos sent, read with the size ceiling (browsers send one empty part when none)."""
        limit = current_app.config["PHOTO_MAX_BYTES"]
        return [read_upload(storage, limit) for storage in (self.photos.data or [])
                if getattr(storage, "filename", "")]


class ComplaintForm(_WithPhotos, BaseForm):
    message = TextAreaField(_l("What happened?"), validators=[Length(max=5000)])
    gi_claim = BooleanField(_l("It is about the GI mark (origin, quality standard, label)"))
    contact = StringField(_l("How to reach you besides your account (optional)"), validators=[Length(max=200)])
    photos = MultipleFileField(_l("Photos (the label, the parcel; optional)"), render_kw=_PHOTO_INPUT)


class ComplaintStepForm(BaseForm):
    status = SelectField(_l("Next step"), choices=[("investigating", _l("Investigate")),
                                                   ("upheld", _l("Uphold")), ("dismissed", _l("Dismiss"))],
                         validate_choice=False)
    note = TextAreaField(_l("Note to the complainant"), validators=[Length(max=5000)])


class NoteForm(BaseForm):
    note = TextAreaField(_l("Internal note"), validators=[Length(max=5000)])


class ReasonForm(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[Length(max=5000)])


class FlagNoteForm(BaseForm):
    note = TextAreaField(_l("What you found"), validators=[Length(max=5000)])


class FlagRefundForm(BaseForm):
    amount = StringField(_l("Amount to give back (yuan)"), validators=[Length(max=20)],
                         render_kw={"inputmode": "decimal"})
    note = TextAreaField(_l("Why the money goes back"), validators=[Length(max=5000)])


class ReassignForm(BaseForm):
    county_code = StringField(_l("New county code"), validators=[Length(max=6)])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=5000)])


class ReviewForm(_WithPhotos, BaseForm):
    rating = SelectField(_l("Stars"), choices=[("5", "★★★★★"), ("4", "★★★★"), ("3", "★★★"), ("2", "★★"),
                                                ("1", "★")], validate_choice=False)
    body = TextAreaField(_l("Your review"), validators=[Length(max=5000)])
    photos = MultipleFileField(_l("Photos (optional)"), render_kw=_PHOTO_INPUT)


class ReplyForm(BaseForm):
    reply = TextAreaField(_l("Your reply (only one)"), validators=[Length(max=5000)])


class AuditQueryForm(BaseForm):
    """Filters of the whole audit log (GET, read only)."""

    class Meta:
        csrf = False

    action = StringField(_l("Action (ending in “.” for a family)"), validators=[Optional(), Length(max=60)],
                         render_kw={"list": "audit-actions"})
    subject_type = StringField(_l("Subject"), validators=[Optional(), Length(max=40)])
    subject_id = StringField(_l("Subject number"), validators=[Optional(), Length(max=64)])
    county_code = StringField(_l("County code"), validators=[Optional(), Length(max=6)])
    actor_email = StringField(_l("By (email)"), validators=[Optional(), Length(max=254)])
    date_from = DateField(_l("From date"), validators=[Optional()])
    date_to = DateField(_l("To date"), validators=[Optional()])
