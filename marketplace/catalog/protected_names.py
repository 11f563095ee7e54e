"""The protected-name rule: a GI name on a live listing is bound to the goods it sells.

This is the misuse geographical indications exist to stop: "西湖龙井" in the title of tea
from anywhere else. Drafts may say anything (the seller is still writing); a listing goes
live only if

- every protected name it uses belongs to the product of its linked batch (no batch, no
  name; a Longjing batch does not cover "五常大米");
- a name kept for part of the protected area (西湖龙井 for the 西湖 zone) comes with a
  batch from that part;
- a listing linked to a batch names that batch's product in its title: the link is what
  carries a GI claim to the shopper, so "云南滇红 功夫红茶" cannot borrow a Longjing batch's
  certificate.

`name_refusal` states the first rule broken without raising, so the badge rule and the
seller's dashboard judge a stored listing exactly as the save did.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from marketplace.core.errors import DomainError
from marketplace.catalog.standards import current_catalogue
from marketplace.core.i18n import current_language


@dataclass(frozen=True)
class NameRefusal:
    """Why a text may not go live with the linked batch, and on which field to say so."""

    field: str
    message: str


def _product(catalogue, slug: str) -> str:
    return catalogue[slug].name(current_language()) if slug in catalogue else slug


def name_refusal(title: str, description: str, batch_slug: str | None,
                 batch_county: str | None = None) -> NameRefusal | None:
    """The first protected-name rule the texts break with this batch, or None."""
    catalogue = current_catalogue()
    named_own_product = False
    for field, text in (("title", title), ("description", description)):
        for match in catalogue.find_protected_names(text or ""):
            product = _product(catalogue, match.slug)
            if match.slug != batch_slug:
                if batch_slug is None:
                    message = _(
                        "“%(used)s” is a protected geographical-indication name of %(product)s. "
                        "A listing may use it only when it is linked to a batch of %(product)s. "
                        "Link such a batch, remove the name, or save the listing as a draft.",
                        used=match.text, product=product)
                else:
                    message = _(
                        "“%(used)s” is a protected geographical-indication name of %(product)s, "
                        "but the linked batch is %(linked)s. Link a batch of %(product)s, remove "
                        "the name, or save the listing as a draft.",
                        used=match.text, product=product, linked=_product(catalogue, batch_slug))
                return NameRefusal(field, message)
            area = getattr(match, "area", None)
            if area is not None and batch_county not in area:
                return NameRefusal(field, _(
                    "“%(used)s” is kept for %(product)s from part of its protected area, and "
                    "the linked batch was not grown there. Use the product's general name, "
                    "link a batch from that part, or save the listing as a draft.",
                    used=match.text, product=product))
            if field == "title":
                named_own_product = True
    if batch_slug is not None and not named_own_product:
        return NameRefusal("title", _(
            "The linked batch is %(product)s, so the title must name it (for example "
            "“%(name)s”): a listing linked to a batch sells that batch's product. Name the "
            "product, unlink the batch, or save the listing as a draft.",
            product=_product(catalogue, batch_slug),
            name=catalogue[batch_slug].names.zh if batch_slug in catalogue else batch_slug))
    return None


def check_protected_names(title: str, description: str, batch_slug: str | None,
                          batch_county: str | None = None) -> None:
    """Raise DomainError on the field that breaks the protected-name rule."""
    refusal = name_refusal(title, description, batch_slug, batch_county)
    if refusal is not None:
        raise DomainError(refusal.message, refusal.field)
