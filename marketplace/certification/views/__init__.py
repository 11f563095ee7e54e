"""Certification's pages by audience: official, seller, public (the verify page), admin."""
from __future__ import annotations

from marketplace.certification.services.catalogue import product_name
from marketplace.certification.services.production_sites import site_names
from marketplace.certification.services.trace_codes import package_of
from marketplace.core.i18n import current_language


def template_helpers() -> dict:
    """What certification's templates call; the catalogue is read only when a page uses it.

    `product_name(slug)` and `site_names(codes)` in the reader's language, and
    `package_of(code)`: "package N of M" of a package code (_verify_package.html).
    """
    return {"product_name": lambda slug: product_name(slug, current_language()),
            "site_names": lambda codes: site_names(codes, current_language()),
            "package_of": package_of}
