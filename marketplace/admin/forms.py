"""Forms of the market supervisor's pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from marketplace.cooperatives.forms import county_choices
from marketplace.core.forms import BaseForm


class AppointOfficialForm(BaseForm):
    email = EmailField(_l("Email of the official"), validators=[DataRequired(), Length(max=254)])
    #: Checked by the service, which tells a retired code from an unknown one.
    county_code = SelectField(_l("County"), validators=[DataRequired()], validate_choice=False)

    def __init__(self, *args, province: str = "", **kwargs):
        """Offer one province's counties (chosen first with ProvinceForm), not all ~2,850."""
        super().__init__(*args, **kwargs)
        self.county_code.choices = county_choices(self, province)


class CooperativeStatusForm(BaseForm):
    status = SelectField(
        _l("Status"),
        choices=[("verified", _l("Verified")), ("suspended", _l("Suspended")), ("pending", _l("Pending"))],
    )
    reason = StringField(_l("Reason"), validators=[Length(max=500)])


class PublishStandardForm(BaseForm):
    file = FileField(_l("Standard file (.toml)"), validators=[FileRequired()])


class MailRetryForm(BaseForm):
    """Send a mail that failed again (the form carries only its CSRF token)."""
