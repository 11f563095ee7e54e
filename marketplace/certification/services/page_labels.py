"""Labels of the verify page, translated once per language instead of on every render.

The page is opened by phones scanning a label and should answer about as fast as a plain
page. A template's `_()` costs some 15 µs in Jinja's i18n machinery; the verify page has
40 fixed labels, so they are looked up once per language and handed to the template as
`t['…']` (texts with values to fill in still use `_()`). A test checks that every label
the template uses is listed here.
"""
from __future__ import annotations

from flask_babel import get_locale, get_translations


def N_(text: str) -> str:
    """Mark a text for extraction into the catalogues; it is translated in `verify_labels`."""
    return text


VERIFY_LABELS = (
    N_("Verify"),
    N_("Trace code"),
    N_("GI certified"),
    N_("No valid GI certification"),
    N_("Recall notice"),
    N_("Do not eat or use this product. Return it to the seller, who must take it back."),
    N_("The cooperative holds no authorization to use the GI mark for this product."),
    N_("This is the batch code, the same on every package of the batch and shown on product pages. Checks of it are not counted: the numbered code of each package is."),
    N_("If you did not check it before, this code may have been copied onto another package."),
    N_("This batch is certified and the cooperative is authorized to use the GI mark."),
    N_("Standard"),
    N_("GI protection announcement"),
    N_("Not recorded in the standards catalogue"),
    N_("Standard version"),
    N_("Holder of the GI mark"),
    N_("Unified social credit code"),
    N_("County"),
    N_("Grown in"),
    N_("Harvest date"),
    N_("Variety"),
    N_("Grade"),
    N_("Batch size"),
    N_("Laboratory"),
    N_("Lab report number"),
    N_("Package number"),
    N_("Certificate"),
    N_("Number"),
    N_("Status"),
    N_("Recalled"),
    N_("Certified on"),
    N_("Valid until"),
    N_("Since"),
    N_("Certified by"),
    N_("GI mark authorization"),
    N_("Valid"),
    N_("Checks of this code"),
    N_("First check"),
    N_("Latest check"),
    N_("Each phone counts once a day; search engines and link previews do not count."),
    N_("Lab results and checks against the standard, as certified"),
    N_("Report a suspected counterfeit"),
    N_("Check another code"),
    # What the official checked (certification/_verify_review.html).
    N_("What the official checked"), N_("In order"), N_("Not in order"), N_("Note"),
    # The findings table (certification/_macros.html).
    N_("Check"), N_("Required"), N_("Found"), N_("Verdict"), N_("passed"), N_("to check"), N_("failed"),
)

_by_locale: dict[str, dict[str, str]] = {}


def verify_labels() -> dict[str, str]:
    """Every label of the verify page in the request's language, by its English text."""
    locale = str(get_locale())
    labels = _by_locale.get(locale)
    if labels is None:
        translations = get_translations()
        labels = _by_locale[locale] = {text: translations.ugettext(text) for text in VERIFY_LABELS}
    return labels
