"""The search form: what the query string of /search may hold, read leniently.

Searching changes nothing, so the form is a GET form without a CSRF token. A value that
is not one of ours (an unknown sort, a page of "abc", a price band we do not offer) is
read as absent rather than refused: a shared or hand-edited link still shows a page.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField

from marketplace.core.forms import BaseForm
from marketplace.core.numbers import parse_int
from marketplace.search.query import SORTS, Filters, PriceBand

SORT_LABELS = {
    "relevance": _l("Best match"),
    "price_asc": _l("Price: low to high"),
    "price_desc": _l("Price: high to low"),
    "newest": _l("Newest"),
}


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search products"))
    gi = StringField(_l("GI product"))
    province = StringField(_l("Province"))
    county = StringField(_l("County"))
    category = StringField(_l("Category"))
    certified = BooleanField(_l("Certified GI only"))
    poverty = BooleanField(_l("Counties lifted out of poverty only"))
    price = StringField(_l("Price"))
    sort = SelectField(_l("Sort by"), choices=list(SORT_LABELS.items()), validate_choice=False)
    page = StringField(_l("Page"))

    def filters(self, bands: tuple[PriceBand, ...]) -> Filters:
        """The filters asked for; unknown or malformed values are left out."""
        by_key = {band.key: band for band in bands}
        return Filters(
            gi=_clean(self.gi.data, 80),
            province=_clean(self.province.data, 60),
            county=_clean(self.county.data, 6) if _is_ascii_number(self.county.data) else None,
            category=_clean(self.category.data, 20),
            certified=_is_yes(self.certified.raw_data),
            price=by_key.get((self.price.data or "").strip()),
            poverty_lifted=_is_yes(self.poverty.raw_data),
        )

    def chosen_sort(self) -> str:
        return self.sort.data if self.sort.data in SORTS else "relevance"

    def chosen_page(self) -> int:
        return parse_int(self.page.data, minimum=1, maximum=99_999) or 1


def _is_yes(raw_data: list | None) -> bool:
    return (raw_data or [""])[0].strip().lower() in {"1", "true", "on", "yes"}


def _is_ascii_number(value: str | None) -> bool:
    return parse_int(value, minimum=0) is not None


def _clean(value: str | None, longest: int) -> str | None:
    value = (value or "").strip()
    return value if value and len(value) <= longest else None
