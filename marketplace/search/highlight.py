"""Show where a listing matched: its text escaped, with the matching words in <mark>."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from marketplace.search import analysis

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"[#*_`>~|]+")
_SPACES = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """Markdown reduced to its words (links keep their text, images and marks go)."""
    text = _LINK.sub(r"\1", _IMAGE.sub(" ", markdown or ""))
    return _SPACES.sub(" ", _MARKDOWN_MARKS.sub(" ", text)).strip()


def _spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    if not wanted or len(analysis.normalize(text)) != len(text):
        return []  # folding changed the length: offsets would not line up, show it plain
    spans = []
    for word in analysis.words(text):
        hit = word.term in wanted or word.raw in wanted
        if not hit and word.chinese:
            hit = "".join(analysis.pinyin_of(word.term)) in wanted
        if hit:
            spans.append((word.start, word.end))
    folded = analysis.normalize(text)
    for chinese in (w for w in wanted if analysis.is_chinese(w)):  # 桃 inside 水蜜桃
        at = folded.find(chinese)
        while at >= 0:
            spans.append((at, at + len(chinese)))
            at = folded.find(chinese, at + len(chinese))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, wanted: set[str], *, limit: int | None = None) -> Markup:
    """Escape `text` and mark the words of `wanted`; with `limit`, show a window around the first."""
    text = text or ""
    spans = _spans(text, wanted)
    begin, end = 0, len(text)
    if limit is not None and len(text) > limit:
        first = spans[0][0] if spans else 0
        begin = max(0, min(first - limit // 3, len(text) - limit))
        end = begin + limit
    out = [Markup("…")] if begin > 0 else []
    cursor = begin
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        out.append(escape(text[cursor:start]))
        out.append(Markup("<mark>") + escape(text[start:stop]) + Markup("</mark>"))
        cursor = stop
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append(Markup("…"))
    return Markup("").join(out)
