"""Account forms. Validation of meaning (unique email, strong password) is in services."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from marketplace.core.forms import BaseForm
from marketplace.core.phones import DEFAULT_REGION, region_choices


class RegisterForm(BaseForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in"))


class ForgotPasswordForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(BaseForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords do not match."))],
    )


class ProfileForm(BaseForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    phone_region = SelectField(_l("Country code"), default=DEFAULT_REGION, validate_choice=False)
    #: Checked (and kept in E.164) by the service with core/phones.py, which names this field.
    phone = StringField(_l("Mobile phone"), validators=[Optional(), Length(max=32)], render_kw={"inputmode": "tel"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone_region.choices = region_choices()
    #: The language of the mail the user receives (orders, after-sales…).
    language = SelectField(_l("Language of your mail"), choices=[("zh", "中文"), ("en", "English")],
                           validate_choice=True)
