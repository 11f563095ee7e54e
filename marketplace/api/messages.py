"""Validation messages of the API's schemas in the caller's language.

marshmallow and webargs write their messages in English, filling values into a template
("Must be one of: {choices}."). Each message our schemas can produce is matched back to its
template here, the template is translated through the site's catalogues (by the language the
site's i18n picks: the language cookie, then Accept-Language), and the same values are put
back. A message no template matches (one already translated by a view) is left as it is.
"""
from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import gettext


def N_(text: str) -> str:
    """Mark a template for the catalogues without translating it here."""
    return text


#: Every message the API's request schemas (and webargs around them) can produce.
TEMPLATES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Invalid input."),
    N_("Unknown field."),
    N_("Invalid input type."),
    N_("Invalid type."),
    N_("Invalid JSON body."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Not a valid boolean."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("Not a valid datetime."),
    N_("Not a valid date."),
    N_("String does not match expected pattern."),
    N_("Must be one of: {choices}."),
    N_("Length must be between {min} and {max}."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Length must be {equal}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Send price_minor, stock or both."),
    N_("stock_seen goes with stock."),
)

_PLACEHOLDER = re.compile(r"\\\{(\w+)\\\}")
#: Where webargs says a bad value was sent: not part of the field's name.
_LOCATIONS = ("json", "query", "path", "form", "headers", "cookies", "files", "json_or_form")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile("^" + _PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(template)) + "$", re.DOTALL), template)
                 for template in TEMPLATES)


def translate_message(message):
    """`message` in the caller's language, when it is one of the templates filled in."""
    if not isinstance(message, str):
        return message
    for pattern, template in _patterns():
        found = pattern.match(message)
        if found:
            try:
                return gettext(template).format(**found.groupdict())
            except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
                return message
    return message


def translate_errors(errors):
    """The nested messages of a validation error (by location, field, index) translated."""
    if isinstance(errors, dict):
        return {key: translate_errors(value) for key, value in errors.items()}
    if isinstance(errors, (list, tuple)):
        return [translate_errors(value) for value in errors]
    return translate_message(errors)


def first_error(errors, path: tuple = ()) -> str | None:
    """The first message with the field it is about ("stock: …"), for a problem's `detail`."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            named = path if not path and key in _LOCATIONS else (*path, str(key))
            found = first_error(value, named)
            if found:
                return found
        return None
    if isinstance(errors, (list, tuple)):
        for value in errors:
            found = first_error(value, path)
            if found:
                return found
        return None
    field = ".".join(part for part in path if part != "_schema")
    return f"{field}: {errors}" if field else str(errors)
