"""The sizes a certified batch is packed in: which one a package code is printed for.

A batch is sold through its listings, each in one or more sizes (listing variants: a
500 g box, a 5 kg sack, a gift box). A package code belongs on one package of one size,
so it takes that size's net weight and name, never a guess from whichever size the
listing shows first. Only sizes of the batch's own listings count: a size of another
listing, batch or cooperative is refused as if it did not exist.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.catalog.models import Batch, Listing, ListingVariant
from marketplace.core.errors import DomainError
from marketplace.extensions import db


class UnknownSize(DomainError):
    """A size that is not one of the batch's own: refused on the form's size field.

    A label sheet asked for such a size answers 404 instead (see labels.label_sheet)."""

    def __init__(self):
        super().__init__(_l("This size is not one of this batch's listings."), "variant_id")


@dataclass(frozen=True)
class PackageSize:
    """What a package code records of its size: which one, its name, and its net weight."""

    variant_id: int | None
    label: str
    weight_grams: int


def _sizes_query(batch_id: int):
    return (select(ListingVariant).join(Listing, Listing.id == ListingVariant.listing_id)
            .join(Batch, Batch.id == Listing.batch_id)
            .where(Listing.batch_id == batch_id, Listing.cooperative_id == Batch.cooperative_id)
            .order_by(Listing.id, ListingVariant.position, ListingVariant.id))


def batch_sizes(batch_id: int, *, include_retired: bool = False) -> list[ListingVariant]:
    """The sizes the batch's listings sell it in (retired ones too when asked: old codes name them)."""
    query = _sizes_query(batch_id)
    if not include_retired:
        query = query.where(ListingVariant.retired_at.is_(None))
    return list(db.session.scalars(query))


def size_of_batch(batch_id: int, variant_id, *, include_retired: bool = False) -> ListingVariant:
    """The batch's size with this id, or UnknownSize (whatever listing or cooperative it is of)."""
    if isinstance(variant_id, bool) or not isinstance(variant_id, int):
        raise UnknownSize()
    query = _sizes_query(batch_id).where(ListingVariant.id == variant_id)
    if not include_retired:
        query = query.where(ListingVariant.retired_at.is_(None))
    variant = db.session.scalar(query)
    if variant is None:
        raise UnknownSize()
    return variant


def size_choice_label(variant: ListingVariant) -> str:
    """How the size is named in the seller's choice: "500 g 礼盒 (500 g) · 西湖龙井 明前"."""
    weight = f" ({variant.weight_grams} g)" if variant.weight_grams else ""
    return f"{variant.label}{weight} · {variant.listing.title}"


def package_size(batch_id: int, variant_id: int | None, net_weight_grams: int | None,
                 most_grams: int) -> PackageSize:
    """Decide the size and net weight of the packages codes are issued for.

    A chosen size gives its own weight (a different weight typed beside it is refused). With
    no size chosen, a typed weight is used alone; with neither, the batch's only size is
    taken, and when the batch is sold in several sizes the seller must choose one.
    """
    if variant_id is not None:
        variant = size_of_batch(batch_id, variant_id)
        weight = variant.weight_grams
        if weight is not None and net_weight_grams is not None and net_weight_grams != weight:
            raise DomainError(_l("A package of “%(size)s” weighs %(weight)d g: leave the net weight "
                                        "empty or give that weight.", size=variant.label, weight=weight),
                                     "net_weight_grams")
        size = PackageSize(variant.id, variant.label, weight if weight is not None else net_weight_grams)
    elif net_weight_grams is not None:
        size = PackageSize(None, "", net_weight_grams)
    else:
        sizes = [variant for variant in batch_sizes(batch_id) if variant.weight_grams]
        if len(sizes) > 1:
            raise DomainError(_l("This batch is sold in several sizes: choose the size these "
                                        "package codes go on."), "variant_id")
        if not sizes:
            raise DomainError(_l("Give the net weight of one package in grams (no listing of this "
                                        "batch gives one)."), "net_weight_grams")
        size = PackageSize(sizes[0].id, sizes[0].label, sizes[0].weight_grams)
    weight = size.weight_grams
    if weight is None:
        raise DomainError(_l("Give the net weight of one package of this size, in grams."),
                                 "net_weight_grams")
    if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= most_grams:
        raise DomainError(_l("Enter the net weight of one package in grams, from 1 to %(n)d.",
                                    n=most_grams), "net_weight_grams")
    return size
