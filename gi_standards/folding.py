"""Fold text for name matching, so that a spelling trick does not hide a protected name.

Folding keeps letters and digits only, lower-cased, without accents or tone marks, in
simplified characters, with full-width forms made plain and Cyrillic or Greek look-alikes
read as the Latin letters they imitate: "西湖 龍井", "ＷＥＳＴ-lake", "Lóngjǐng" and "Lоngjing"
(Cyrillic о) become "西湖龙井", "westlake", "longjing" and "longjing". Each folded character remembers
where it came from, so a match can point at the original text, and where words start and
end, so that Latin names can be matched as whole words.

A second, "plain" reading also drops what an imitation puts inside a name ("五常风味大米",
"Wuchang-style rice") and tone numbers ("long2 jing3"): an imitation is still a use of the
name.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

#: Words put inside a name to pass an imitation off as "only the style" of the product.
IMITATION_WORDS_ZH = ("风味", "口味", "味道", "风格", "同款", "工艺", "味", "型", "式")
IMITATION_WORDS_EN = ("style", "styled", "type", "flavour", "flavor", "flavoured",
                      "flavored", "inspired", "imitation")
#: How many spellings of one Chinese name its heteronyms may give before only the
#: dictionary's reading is kept (a name with many ambiguous characters is rare).
MAX_PINYIN_SPELLINGS = 64
#: Shorter pinyin ("ayi") is too easily an abbreviation or an English word to be a name.
MIN_PINYIN_LETTERS = 4

_IMITATION = re.compile("|".join(
    sorted(IMITATION_WORDS_ZH + IMITATION_WORDS_EN, key=len, reverse=True)))
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]")
#: A tone number right after a pinyin syllable: the "2" of "long2".
_TONE_NUMBER = re.compile(r"(?<=[a-z])[1-5](?![0-9])")


@dataclass(frozen=True)
class Folded:
    """Folded text: its characters, where each came from, and the word boundaries."""

    text: str
    origin: tuple[int, ...]
    bounds: frozenset[int]


def fold(text: str) -> Folded:
    """Fold a text (see the module's docstring)."""
    chars: list[str] = []
    origin: list[int] = []
    bounds: set[int] = {0}
    gap, previous_cjk = True, None
    for index, char in enumerate(to_simplified(text)):
        kept, cjk = _fold_char(char)
        if not kept:
            gap = True
            continue
        if gap or cjk != previous_cjk:
            bounds.add(len(chars))
        for c in kept:
            chars.append(c)
            origin.append(index)
        gap, previous_cjk = False, cjk
    bounds.add(len(chars))
    return Folded("".join(chars), tuple(origin), frozenset(bounds))


def fold_name(name: str) -> str:
    return fold(name).text


def without_imitation(folded: Folded) -> Folded | None:
    """The folded text without imitation words and tone numbers; None if it has none.

    Chinese words go wherever they stand; English ones only as whole words ("type" is
    not taken out of "prototype"), and a word start stays a word start.
    """
    drop: set[int] = set()
    text = folded.text
    for found in _IMITATION.finditer(text):
        start, end = found.span()
        if is_cjk(text[start]) or (start in folded.bounds and end in folded.bounds):
            drop.update(range(start, end))
    for found in _TONE_NUMBER.finditer(text):
        drop.add(found.start())
    if not drop:
        return None
    chars, origin, bounds = [], [], set()
    for index, char in enumerate(text):
        if index in drop:
            continue
        if index in folded.bounds or (index - 1 in drop and not is_cjk(char)):
            bounds.add(len(chars))
        chars.append(char)
        origin.append(folded.origin[index])
    bounds.update({0, len(chars)})
    return Folded("".join(chars), tuple(origin), frozenset(bounds))


def to_simplified(text: str) -> str:
    """The text in simplified characters, one character for one, so positions still hold.

    OpenCC converts phrase by phrase; where that changes the length (rare), each
    character is converted alone instead.
    """
    if not _CJK.search(text):
        return text
    try:
        converted = _converter().convert(text)
    except UnicodeError:            # a lone surrogate, which UTF-8 cannot carry to OpenCC
        converted = ""
    if len(converted) == len(text):
        return converted
    return "".join(_simplified_char(char) for char in text)


def pinyin_spellings(name: str) -> list[str]:
    """The folded pinyin of a Chinese name: the dictionary's reading first, then the
    other readings of its heteronyms ("都匀" → "duyun", "douyun"); ü also as u, v and yu.
    A name that is not all Chinese ("龙井43") has none: half a name in pinyin would be
    another, shorter name."""
    # Imported here: pypinyin loads its dictionaries (tens of MB) on import, which a
    # process that never matches Latin text does not need.
    from pypinyin import Style, lazy_pinyin, pinyin

    han = fold_name(name)
    if not han or not all(is_cjk(char) for char in han):
        return []
    readings = [lazy_pinyin(han, style=Style.NORMAL, errors="ignore")]
    choices = [pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")[0]
               for char in han]
    count = 1
    for options in choices:
        count *= max(len(options), 1)
    if count <= MAX_PINYIN_SPELLINGS and all(choices):
        readings += [list(combo) for combo in product(*choices)]
    spellings: list[str] = []
    for syllables in readings:
        joined = "".join(syllables).lower()
        for spelling in (joined, joined.replace("v", "u"), joined.replace("v", "yu")):
            if (spelling.isascii() and spelling.isalpha() and spelling not in spellings
                    and len(spelling) >= MIN_PINYIN_LETTERS):
                spellings.append(spelling)
    return spellings


def mixed_spellings(name: str) -> list[str]:
    """The name half in characters, half in pinyin: "西湖longjing", "xihu龙井" (its
    dictionary reading only). A seller mixing scripts still writes the name."""
    from pypinyin import Style, lazy_pinyin

    han = fold_name(name)
    if len(han) < 2 or not all(is_cjk(char) for char in han):
        return []
    syllables = lazy_pinyin(han, style=Style.NORMAL, errors="ignore")
    if len(syllables) != len(han) or not all(s.isascii() and s.isalpha() for s in syllables):
        return []
    spellings: list[str] = []
    for cut in range(1, len(han)):
        head, tail = "".join(syllables[:cut]), "".join(syllables[cut:])
        for spelling in (han[:cut] + tail, head + han[cut:]):
            for variant in (spelling, spelling.replace("v", "u")):
                if variant not in spellings:
                    spellings.append(variant)
    return spellings


def chinese_word_bounds(text: str) -> frozenset[int]:
    """Where jieba's dictionary puts word boundaries in folded text.

    Used to tell a phrase from an accident of juxtaposition: "龙井市" is the city in
    "吉林龙井市大米" (吉林/龙井市/大米) but not in "龙井市场价" (龙井/市场价).
    """
    # Imported here: jieba loads its dictionary (tens of MB) on first use, which only a
    # text holding an exclusion needs.
    import jieba

    jieba.setLogLevel(logging.WARNING)
    bounds, at = {0}, 0
    for word in jieba.dt.cut(text, HMM=False):
        at += len(word)
        bounds.add(at)
    return frozenset(bounds)


def is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3FFFF)


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> tuple[str, bool]:
    """The folded form of one character, and whether it is Chinese (or Japanese, Korean)."""
    decomposed = unicodedata.normalize("NFKD", char)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    kept = "".join(_latin_lookalike(c) for c in plain if c.isalnum())
    return kept, bool(kept) and is_cjk(kept[0])


def _latin_lookalike(char: str) -> str:
    """The Latin letter a Cyrillic or Greek look-alike stands for ("о" → "o"), so that
    "Lоngjing" spelt with a Cyrillic о is still Longjing; other characters unchanged.
    The look-alikes are Unicode's confusables list (UTS #39)."""
    if char.isascii() or is_cjk(char) or not char.isalpha():
        return char
    from confusable_homoglyphs import confusables

    for found in confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"]) or ():
        for homoglyph in found["homoglyphs"]:
            latin = homoglyph["c"]
            if len(latin) == 1 and latin.isascii() and latin.isalpha():
                return latin.lower()
    return char


@lru_cache(maxsize=4096)
def _simplified_char(char: str) -> str:
    converted = _converter().convert(char) if is_cjk(char) else char
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")
