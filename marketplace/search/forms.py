"""The search form: what the query string of /search may hold, read leniently.

Searching changes nothing, so the form is a GET form without a CSRF token. A value that
is not one of ours (an unknown sort, a page of "abc", a price band we do not offer) is
read as absent rather than refused: a shared or hand-edited link still shows a page.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField

from marketplace.search.query import SORTS, Filters, PriceBand

SORT_LABELS = {
    "relevance": _l("Best match"),
    "price_asc": _l("Price: low to high"),
    "price_desc": _l("Price: high to low"),
    "newest": _l("Newest"),
}


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search products"))
    gi = StringField(_l("GI product"))
    province = StringField(_l("Province"))
    county = StringField(_l("County"))
    category = StringField(_l("Category"))
    certified = BooleanField(_l("Certified GI only"))
    price = StringField(_l("Price"))
    sort = SelectField(_l("Sort by"), choices=list(SORT_LABELS.items()), validate_choice=False)
    page = StringField(_l("Page"))

    def filters(self, bands: tuple[PriceBand, ...]) -> Filters:
        """The filters asked for; unknown or malformed values are left out."""
        by_key = {band.key: band for band in bands}
        return Filters(
            gi=_clean(self.gi.data, 80),
            province=_clean(self.province.data, 60),
            county=_clean(self.county.data, 6) if (self.county.data or "").isdigit() else None,
            category=_clean(self.category.data, 20),
            certified=(self.certified.raw_data or [""])[0].strip().lower() in {"1", "true", "on", "yes"},
            price=by_key.get((self.price.data or "").strip()),
        )

    def chosen_sort(self) -> str:
        return self.sort.data if self.sort.data in SORTS else "relevance"

    def chosen_page(self) -> int:
        value = (self.page.data or "").strip()
        return int(value) if value.isdigit() and 0 < len(value) < 6 else 1


def _clean(value: str | None, longest: int) -> str | None:
    value = (value or "").replace("\x00", "").strip()
    return value if value and len(value) <= longest else None
