"""The protected-name rule: a GI name on a live listing needs a batch of that GI product.

This is the misuse geographical indications exist to stop: "西湖龙井" in the title of tea
from anywhere else. Drafts may say anything (the seller is still writing); a listing goes
live only if every protected name it uses belongs to the product of its linked batch.
"""
from __future__ import annotations

from flask_babel import gettext as _

from marketplace.catalog.errors import CatalogError
from marketplace.catalog.standards import current_catalogue
from marketplace.i18n import current_language


def check_protected_names(title: str, description: str, batch_slug: str | None) -> None:
    """Raise CatalogError on the field that uses a name the linked batch does not cover."""
    catalogue = current_catalogue()
    for field, text in (("title", title), ("description", description)):
        for match in catalogue.find_protected_names(text or ""):
            if match.slug == batch_slug:
                continue
            product = catalogue[match.slug].name(current_language())
            if batch_slug is None:
                message = _(
                    "“%(used)s” is a protected geographical-indication name of %(product)s. "
                    "A listing may use it only when it is linked to a batch of %(product)s. "
                    "Link such a batch, remove the name, or save the listing as a draft.",
                    used=match.text, product=product)
            else:
                linked = catalogue[batch_slug].name(current_language()) if batch_slug in catalogue else batch_slug
                message = _(
                    "“%(used)s” is a protected geographical-indication name of %(product)s, "
                    "but the linked batch is %(linked)s. Link a batch of %(product)s, remove "
                    "the name, or save the listing as a draft.",
                    used=match.text, product=product, linked=linked)
            raise CatalogError(message, field)
