"""Production sites: where a cooperative's authorized product may come from.

An authorization declares the counties its members grow or make the product in, each
inside the product's protected area. A batch may be certified only if its origin is one
of them; and it is decided by the officials of the county where the cooperative is
registered (the authorization's county), never by those of the county a seller names as
origin, so that naming a neighbouring county cannot choose the reviewer.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.certification.services import catalogue
from marketplace.cooperatives.services import counties_for_choice
from marketplace.core.counties import County
from marketplace.core.errors import DomainError
from marketplace.core.i18n import current_language
from marketplace.extensions import db

MAX_SITES = 40


def _county_label(code: str, language: str) -> str:
    county = db.session.get(County, code)
    return county.full_name(language) if county is not None else code


def clean_sites(standard_slug: str, codes: Iterable[str] | None, default: str) -> list[str]:
    """The declared sites, checked against the product's protected area (the default if none)."""
    wanted = list(dict.fromkeys(str(code).strip() for code in (codes or ()) if str(code).strip()))
    if not wanted:
        wanted = [default]
    if len(wanted) > MAX_SITES:
        raise DomainError(_l("Declare at most %(n)d production sites.", n=MAX_SITES), "production_sites")
    known = set(db.session.scalars(select(County.code).where(County.code.in_(wanted))))
    for code in wanted:
        if code not in known:
            raise DomainError(_l("Choose the production sites from the list of counties."),
                                     "production_sites")
        if catalogue.area_status(standard_slug, code) is None:
            raise DomainError(_l(
                "%(county)s lies outside the protected area of %(product)s, so it cannot be a "
                "production site.", county=_county_label(code, current_language()),
                product=catalogue.product_name(standard_slug, current_language())), "production_sites")
    return wanted


def county_choices(language: str) -> list[tuple[str, str]]:
    """(code, "province · county (code)") of every county, for the sites field."""
    return [(c.code, f"{c.province(language)} · {c.name(language)} ({c.code})") for c in counties_for_choice()]


def site_names(codes: Iterable[str], language: str) -> list[str]:
    """The declared sites as readers know them ("西湖区, 杭州市, 浙江省")."""
    return [_county_label(code, language) for code in codes or ()]


def check_origin(batch, authorization) -> None:
    """Refuse a batch whose origin is outside the protected area or the authorization's sites."""
    language = current_language()
    county = _county_label(batch.county_code, language)
    product = catalogue.product_name(batch.standard_slug, language)
    if catalogue.area_status(batch.standard_slug, batch.county_code) is None:
        raise DomainError(_l(
            "This batch comes from %(county)s, outside the protected area of %(product)s: it cannot "
            "be certified.", county=county, product=product), "batch")
    sites = list(authorization.production_sites or ())
    if batch.county_code not in sites:
        raise DomainError(_l(
            "This batch comes from %(county)s, which is not a production site of the cooperative's "
            "authorization %(number)s (%(sites)s). Only batches from the declared sites can be "
            "certified, by the officials of the cooperative's own county.",
            county=county, number=authorization.number or "",
            sites="; ".join(site_names(sites, language)) or "—"), "batch")
