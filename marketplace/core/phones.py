"""Phone numbers of mainland China, Hong Kong, Macao and Taiwan: checked, then kept in E.164.

Numbers are read and validated by `phonenumbers` (Google's libphonenumber data), never by
a hand pattern: each region's numbering plan is its own (a Hong Kong mobile has eight
digits, a Taiwan one starts 09). A number typed with its country code ("+852 9123 4567")
is read as such; without one, it is read in the region the shopper chose (mainland China
unless they chose another). Stored as E.164 ("+8613812345678"), shown internationally.
"""
from __future__ import annotations

import phonenumbers
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

#: Region code → (country calling code, name), in the order the choice lists them.
REGIONS = {
    "CN": ("+86", _l("Mainland China")),
    "HK": ("+852", _l("Hong Kong")),
    "MO": ("+853", _l("Macao")),
    "TW": ("+886", _l("Taiwan")),
}
DEFAULT_REGION = "CN"
MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
CONTACT_TYPES = (*MOBILE_TYPES, PhoneNumberType.FIXED_LINE, PhoneNumberType.VOIP, PhoneNumberType.UAN)
#: Longer input is not a phone number (and is never handed to the parser).
MAX_INPUT = 32


class PhoneError(ValueError):
    """A number that cannot be used, with a message fit to show next to the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def region_choices() -> list[tuple[str, str]]:
    """(region code, "+852 Hong Kong") for a select box, mainland first."""
    return [(code, f"{calling} {name}") for code, (calling, name) in REGIONS.items()]


def _example(region: str) -> str:
    example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    return phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL) if example else ""


def parse_phone(text: str | None, region: str | None = None, *, mobile_only: bool = True) -> str:
    """The number in E.164, or PhoneError saying what is wrong.

    `region` is where a number without its country code is read (mainland China if not
    given); `mobile_only` refuses landlines (a courier texts the recipient).
    """
    region = (region or DEFAULT_REGION).upper()
    if region not in REGIONS:
        raise PhoneError(_("Choose the country code from the list."))
    text = (text or "").strip()
    if not text:
        raise PhoneError(_("Enter a mobile number, such as %(example)s.", example=_example(region)))
    if len(text) > MAX_INPUT:
        raise PhoneError(_("A phone number has at most 15 digits."))
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        raise PhoneError(_("This is not a phone number. Enter it like %(example)s.",
                           example=_example(region))) from None
    found = phonenumbers.region_code_for_number(number)
    if found not in REGIONS:
        raise PhoneError(_("Enter a number of mainland China, Hong Kong, Macao or Taiwan."))
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(_("This number does not exist in %(region)s. Enter it like %(example)s.",
                           region=REGIONS[found][1], example=_example(found)))
    kinds = MOBILE_TYPES if mobile_only else CONTACT_TYPES
    if phonenumbers.number_type(number) not in kinds:
        raise PhoneError(_("This is not a mobile number. Enter one like %(example)s.", example=_example(found)))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display_phone(e164: str | None) -> str:
    """A stored number as people read it ("+852 9123 4567"); anything else as it is."""
    if not e164 or not e164.startswith("+"):
        return e164 or ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None), PhoneNumberFormat.INTERNATIONAL)
    except NumberParseException:
        return e164


def region_of(e164: str | None) -> str:
    """The region of a stored number (to preselect it in a form), mainland China if unknown."""
    try:
        found = phonenumbers.region_code_for_number(phonenumbers.parse(e164 or "", None))
    except NumberParseException:
        return DEFAULT_REGION
    return found if found in REGIONS else DEFAULT_REGION
