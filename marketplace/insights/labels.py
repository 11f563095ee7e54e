"""Names of the cuts' keys and formatted values, in the reader's language."""
from __future__ import annotations

from functools import lru_cache

from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.catalog.labels import category_label
from marketplace.certification.services import catalogue
from marketplace.cooperatives.models import Cooperative, County
from marketplace.extensions import db
from marketplace.core.i18n import money
from marketplace.insights.metrics import BY_NAME

POVERTY_LABELS = {"lifted": _l("Lifted out of poverty (脱贫县)"), "other": _l("Other counties")}


def format_value(metric: str, value: float | None) -> str:
    if value is None:
        return "—"
    unit = BY_NAME[metric].unit if metric in BY_NAME else "count"
    return _formatted(str(get_locale()), unit, value)


@lru_cache(maxsize=16384)
def _formatted(locale: str, unit: str, value: float) -> str:
    """Formatting through Babel costs more than the rest of a figure: a page shows hundreds,
    and published months repeat the same values, so each (locale, unit, value) is formatted once."""
    if unit == "fen":
        return money(int(round(value)))
    if unit == "percent":
        return f"{format_decimal(value, format='#,##0.0')}%"
    if unit in ("hours", "working_days", "per_thousand"):
        return format_decimal(value, format="#,##0.0")
    return format_decimal(value, format="#,##0")


def formatter(metric: str):
    return lambda value: format_value(metric, value)


def key_labels(dimension: str, keys: set[str], language: str) -> dict[str, str]:
    """A label for every key of a cut (the key itself when nothing better is known)."""
    zh = language.startswith("zh")
    labels: dict[str, str] = {}
    if dimension in ("province", "destination"):
        rows = db.session.execute(select(County.province_zh, County.province_en)
                                  .where(County.province_zh.in_(keys)).distinct())
        labels = {p_zh: (p_zh if zh else p_en) for p_zh, p_en in rows}
    elif dimension == "county":
        rows = db.session.scalars(select(County).where(County.code.in_(keys)))
        labels = {county.code: county.name(language) for county in rows}
    elif dimension == "gi_product":
        labels = {key: catalogue.product_name(key, language) or key for key in keys}
    elif dimension == "category":
        labels = {key: category_label(key) for key in keys}
    elif dimension == "poverty":
        labels = {key: str(POVERTY_LABELS.get(key, key)) for key in keys}
    elif dimension == "cooperative":
        ids = [int(key) for key in keys if key.isdigit()]
        labels = {str(i): name for i, name in db.session.execute(
            select(Cooperative.id, Cooperative.name).where(Cooperative.id.in_(ids)))}
    elif dimension == "all":
        labels = {"": str(_l("Whole site"))}
    return {key: labels.get(key) or key for key in keys}
