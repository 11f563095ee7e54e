"""Cooperative forms."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.cooperatives.services import counties_for_choice, provinces_for_choice
from marketplace.core.forms import BaseForm
from marketplace.core.phones import DEFAULT_REGION, region_choices
from marketplace.core.i18n import current_language


class CooperativeForm(BaseForm):
    name = StringField(_l("Cooperative name"), validators=[DataRequired(), Length(max=120)])
    credit_code = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), Length(min=18, max=18)]
    )
    #: Checked by the service, which tells a retired code from an unknown one.
    county_code = SelectField(_l("County"), validators=[DataRequired()], validate_choice=False)
    address = StringField(_l("Address"), validators=[DataRequired(), Length(max=200)])
    phone_region = SelectField(_l("Country code"), default=DEFAULT_REGION, validate_choice=False)
    #: Checked (and turned into E.164) by the service, which names this field.
    phone = StringField(_l("Contact phone"), validators=[DataRequired(), Length(max=32)],
                        render_kw={"inputmode": "tel"})
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])

    def __init__(self, *args, province: str = "", **kwargs):
        """Offer the counties of one province: the one chosen in ProvinceForm, or else the
        one of the county sent, so that a post names any county of China without the
        page listing all ~2,850 of them at once."""
        super().__init__(*args, **kwargs)
        self.county_code.choices = county_choices(self, province)
        self.phone_region.choices = region_choices()


def county_choices(form: BaseForm, province: str) -> list[tuple[str, str]]:
    """The county options of `form`: those of the province of the county sent, or else of
    `province` (two digits), labelled "city · county (code)"; none before a province is chosen."""
    language = current_language()
    chosen = (form.county_code.data or "")[:2] if form.is_submitted() else ""
    chosen = chosen or province
    counties = counties_for_choice(chosen) if chosen.isdigit() and len(chosen) == 2 else []
    return [("", "—")] + [
        (county.code, f"{county.city(language)} · {county.name(language)} ({county.code})")
        for county in counties
    ]


class ProvinceForm(BaseForm):
    """First step of choosing a county: the province, sent by GET so it works without script."""

    class Meta:
        csrf = False  # a GET that only narrows a list; it changes nothing

    province = SelectField(_l("Province"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = current_language()
        self.province.choices = [("", "—")] + [
            (code, zh if language == "zh" else en) for code, zh, en in provinces_for_choice()]

    @property
    def chosen(self) -> str:
        value = self.province.data or ""
        return value if value in {code for code, _ in self.province.choices[1:]} else ""


class InviteForm(BaseForm):
    email = EmailField(_l("Email of the person to invite"), validators=[DataRequired(), Length(max=254)])


class StatusForm(BaseForm):
    reason = StringField(_l("Reason"), validators=[Length(max=500)])


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
