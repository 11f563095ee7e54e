"""A listing's text in the reader's language: English where the seller wrote it, else Chinese.

Sellers write in Chinese; the English title and description are optional. Readers of the
English site see the English text when there is one and the Chinese otherwise, so a page
never shows an empty title.
"""
from __future__ import annotations

from marketplace.core.i18n import current_language


def _english(language: str | None) -> bool:
    return (language or current_language() or "").startswith("en")


def listing_title(listing, language: str | None = None) -> str:
    """The title to show: the English one on the English site, if the seller wrote it."""
    if _english(language) and listing.title_en:
        return listing.title_en
    return listing.title


def listing_description(listing, language: str | None = None) -> str:
    """The description (Markdown) to show, chosen like the title."""
    if _english(language) and listing.description_en:
        return listing.description_en
    return listing.description or ""
