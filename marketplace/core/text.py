"""The one path every piece of typed text goes through before a service keeps it.

Forms apply `clean_text` to every string field (see core/forms.py); services call it
themselves on text that did not come through a form (query strings, CSV rows, CLI
arguments). What it removes can never be meant: NUL (PostgreSQL refuses it in text, so it
used to end in a 500), other control characters, unpaired surrogates, and, in names and
titles, the invisible characters that reverse how the text around them is drawn
(U+202E turns "gpj.exe" into "exe.jpg" on screen).
"""
from __future__ import annotations

import re
import unicodedata

#: Embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): they change
#: how neighbouring text is drawn, never what it says.
DIRECTION_OVERRIDES = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)])
#: Direction marks (LRM, RLM, ALM): harmless inside right-to-left prose, so kept in
#: multi-line text, but never wanted in a one-line name or title.
DIRECTION_MARKS = frozenset(["\u200e", "\u200f", "\u061c"])

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def _unwanted(ch: str, multiline: bool) -> bool:
    if ch in "\n\t":
        return False
    if ch in DIRECTION_OVERRIDES or (not multiline and ch in DIRECTION_MARKS):
        return True
    # Cc: C0/C1 controls (NUL among them); Cs: lone surrogates no encoder accepts.
    return unicodedata.category(ch) in ("Cc", "Cs")


def clean_text(value, *, multiline: bool = False) -> str | None:
    """Return `value` without NUL, control characters or direction overrides; None stays None.

    Line breaks become "\\n"; one-line text turns them and tabs into spaces, and also
    loses the direction marks (see DIRECTION_MARKS).
    """
    if value is None:
        return None
    text = _LINE_BREAKS.sub("\n", str(value))
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return "".join(ch for ch in text if not _unwanted(ch, multiline))


def clean_name(value, *, longest: int | None = None) -> str:
    """Clean a one-line name or title: as `clean_text`, spaces collapsed, trimmed, cut."""
    text = " ".join((clean_text(value) or "").split())
    return text[:longest] if longest else text


def clean_filename(value, *, longest: int = 200, fallback: str = "file") -> str:
    """The last part of a sent file name, fit to show and to put in a download header.

    Every format character (category Cf: direction controls, zero-width joiners) and
    control character goes, not only the usual ones: a name is never worth a broken
    Content-Disposition header.
    """
    name = (str(value or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" or ch == " ")
    name = " ".join(name.split()).strip(" .")
    return name[:longest] or fallback
