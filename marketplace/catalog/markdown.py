"""Listing descriptions: Markdown as the seller writes it, shown as sanitised HTML.

Two locks, either of which would do alone: markdown-it-py runs with raw HTML off, so a
typed `<script>` comes out as text; nh3 then keeps only a short list of tags and
attributes, and links only to http(s) and mail. Images are not among them: photos are
uploaded, checked and re-encoded, never hot-linked from elsewhere.
"""
from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "h5", "h6", "hr", "a", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"])


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to HTML that is safe to put in a page as it is."""
    if not text:
        return Markup("")
    html = _parser().render(text)
    return Markup(nh3.clean(
        html, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES), link_rel="nofollow noopener noreferrer ugc",
    ))
