"""Languages, and dates and money formatted for the reader's locale.

The chosen language lives in a long-lived cookie so that it is remembered for guests and
signed-in users alike; without one, the browser's Accept-Language decides, then Chinese.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    has_app_context,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    get_locale,
    get_timezone,
    get_translations,
)

from marketplace.core.catalogues import compile_stale_catalogues
from marketplace.extensions import babel

LANGUAGE_COOKIE = "lang"
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and mail sent outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """Return "zh" or "en", for picking a bilingual field of a model."""
    return str(get_locale() or "zh").split("_")[0]


def money(minor_units: int | None, currency: str | None = None) -> str:
    """Format an integer count of minor units (fen) as money in the reader's locale."""
    if minor_units is None:
        return ""
    amount = Decimal(int(minor_units)) / 100
    return format_currency(amount, currency or current_app.config["CURRENCY"])


def safe_next(target: str | None, fallback: str) -> str:
    """Return `target` only when it is a path on this site, so redirects cannot leave it."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.get("/language/<code>")
def switch_language(code: str):
    """Remember the reader's language and go back to the page they were on."""
    response = redirect(safe_next(request.args.get("next"), url_for("storefront.home")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def _translations():
    """The request's translations, looked up once per locale instead of once per string.

    Flask-Babel finds the domain, the locale and the catalogue again for every `_()` in a
    template (about 20 µs each, 70 times on the verify page). The result is kept on `g`
    next to the locale object it was found for, so `force_locale` (a mail in the
    recipient's language) still gets its own.
    """
    if not has_app_context():
        return get_translations()
    state = g._get_current_object().__dict__
    locale = getattr(state.get("_flask_babel"), "babel_locale", None)
    cached = state.get("_terroir_translations")
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    state["_terroir_translations"] = (getattr(state.get("_flask_babel"), "babel_locale", None), translations)
    return translations


_FORMATTERS = {"date": format_date, "datetime": format_datetime}


@lru_cache(maxsize=4096)
def _format_once(kind: str, value, fmt: str, _locale: str, _timezone: str) -> str:
    """Format with Babel; the locale and time zone are part of the key, read by the formatter."""
    return _FORMATTERS[kind](value, fmt)


def _formatted(kind: str, value, fmt: str) -> str:
    """A date or time as the reader's locale writes it, formatted once per value and locale.

    Babel takes 0.1 to 0.2 ms for one date; a page shows the same few dates over and over
    (a certificate's validity, a harvest date), so each is remembered.
    """
    if not value:
        return ""
    state = g._get_current_object().__dict__.get("_flask_babel") if has_app_context() else None
    locale = getattr(state, "babel_locale", None) or get_locale()
    timezone = getattr(state, "babel_tzinfo", None) or get_timezone()
    return _format_once(kind, value, fmt, str(locale), str(timezone))


def init_app(app: Flask) -> None:

    folder = Path(app.root_path) / "translations"
    compile_stale_catalogues(folder)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(folder),
    )
    app.register_blueprint(bp)
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["date"] = lambda value, fmt="medium": _formatted("date", value, fmt)
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": _formatted("datetime", value, fmt)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: _translations().ugettext(text),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        pgettext=lambda context, text: _translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
