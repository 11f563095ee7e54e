"""The base of every form: typed text cleaned, integers and dates kept in bounds.

Every form of the site derives from `BaseForm` (a test enforces it), so that no service
ever receives a NUL byte, a control character or a direction override from a form, and no
integer field hands a service a number the database cannot hold.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

from marketplace.core.numbers import DATE_MAX, DATE_MIN, INT_MAX, INT_MIN, parse_int
from marketplace.core.text import clean_text


def _clean_line(value):
    return clean_text(value) if isinstance(value, str) else value


def _clean_lines(value):
    return clean_text(value, multiline=True) if isinstance(value, str) else value


class _WithinDatabase:
    """Refuse an integer outside what a database column holds (a safety net under every form)."""

    def __call__(self, form, field):
        if isinstance(field.data, int) and not INT_MIN <= field.data <= INT_MAX:
            raise ValidationError(_l("This number is too large."))


class _WithinCalendar:
    """Refuse a date too far in the past or future for any date arithmetic to follow."""

    def __call__(self, form, field):
        if field.data is not None and not DATE_MIN <= field.data <= DATE_MAX:
            raise ValidationError(_l("Enter a date between %(first)s and %(last)s.",
                                     first=DATE_MIN.isoformat(), last=DATE_MAX.isoformat()))


class BoundedIntegerField(IntegerField):
    """An integer typed in ASCII digits, within [minimum, maximum], with a message saying so."""

    def __init__(self, label=None, validators=None, *, minimum: int = INT_MIN,
                 maximum: int = INT_MAX, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        if not valuelist or str(valuelist[0]).strip() == "":
            self.data = None
            return
        self.data = parse_int(valuelist[0], minimum=self.minimum, maximum=self.maximum)
        if self.data is None:
            if (self.minimum, self.maximum) == (INT_MIN, INT_MAX):
                raise ValueError(_l("Enter a whole number."))
            raise ValueError(_l("Enter a whole number from %(low)s to %(high)s.",
                                low=self.minimum, high=self.maximum))


class BaseForm(FlaskForm):
    """A FlaskForm whose fields clean what they receive before any validator or service."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            extra_filters: list = []
            extra_validators: list = []
            if issubclass(field_class, PasswordField):
                pass  # a password is compared, never stored or shown: keep it as typed
            elif issubclass(field_class, TextAreaField):
                extra_filters.append(_clean_lines)
            elif issubclass(field_class, StringField):
                extra_filters.append(_clean_line)
            elif issubclass(field_class, IntegerField):
                extra_validators.append(_WithinDatabase())
            elif issubclass(field_class, DateField):
                extra_validators.append(_WithinCalendar())
            if extra_filters:
                options["filters"] = extra_filters + list(unbound_field.kwargs.get("filters") or ())
            field = unbound_field.bind(form=form, **options)
            if extra_validators:
                field.validators = list(field.validators) + extra_validators
            return field
