"""Forms of the market supervisor's pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from marketplace.cooperatives.services import counties_for_choice
from marketplace.i18n import current_language


class AppointOfficialForm(FlaskForm):
    email = EmailField(_l("Email of the official"), validators=[DataRequired(), Length(max=254)])
    county_code = SelectField(_l("County"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = current_language()
        self.county_code.choices = [
            (county.code, f"{county.province(language)} · {county.name(language)} ({county.code})")
            for county in counties_for_choice()
        ]


class CooperativeStatusForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[("verified", _l("Verified")), ("suspended", _l("Suspended")), ("pending", _l("Pending"))],
    )
    reason = StringField(_l("Reason"), validators=[Length(max=500)])


class PublishStandardForm(FlaskForm):
    file = FileField(_l("Standard file (.toml)"), validators=[FileRequired()])


class MailRetryForm(FlaskForm):
    """Send a mail that failed again (the form carries only its CSRF token)."""
