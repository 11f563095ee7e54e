"""Text as sellers type it, made safe to store on every backend.

PostgreSQL refuses NUL in text, and no control character belongs in a title or a lab's
name; pasted text brings them along more often than one would think.
"""
from __future__ import annotations

import unicodedata

_KEPT_IN_MULTILINE = {"\n", "\t"}


def plain_text(value, multiline: bool = False) -> str:
    """Drop control characters (keeping line breaks and tabs in multi-line text)."""
    if not isinstance(value, str):
        return ""
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in value if (multiline and ch in _KEPT_IN_MULTILINE)
                   or unicodedata.category(ch) != "Cc")
