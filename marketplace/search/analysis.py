"""Turn shop text into search words: Chinese by jieba, English stemmed, Chinese names in pinyin.

Both backends index and query the very same words, made here in Python, so a query finds
the same listings whichever backend answers it.

- Text is NFKC-folded first (full-width letters and digits become ASCII) and lower-cased.
- Chinese is cut into words by jieba in its accurate mode; a long word is also indexed by
  the dictionary words inside it, at the same position, so "龙井" finds "龙井茶" and
  "五常" finds "五常市". Queries are cut the same way but without those inner words.
- Positions count words (0, 1, 2 …), not characters: jieba's own Whoosh analyzer numbers
  them by character offset, which makes every Chinese phrase query ("五常大米") miss.
- English words are Porter-stemmed ("lakes" → "lake"); stop words are dropped.
- Chinese words also give their pinyin, joined ("longjing") and by syllable ("long",
  "jing"), so a shopper without a Chinese keyboard finds 龙井 by typing "longjing".
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from threading import Lock

import jieba
from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

log = logging.getLogger(__name__)

#: Chinese particles that carry no meaning for a shopper's search.
CHINESE_STOP_WORDS = frozenset("的 了 和 与 及 是 在 之 或 等 由".split())
ENGLISH_STOP_WORDS = frozenset(STOP_WORDS) | {"not"}
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_jieba_lock = Lock()
_jieba_ready = False
_jieba_cache_dir: Path | None = None


@dataclass(frozen=True)
class Word:
    """One indexed or queried word.

    `term` is what the text fields hold (a stem for English, the word for Chinese);
    `raw` is the unstemmed lower-case form (for spelling and pinyin); `inner` marks the
    dictionary words found inside a longer Chinese word (same position as that word).
    """

    term: str
    raw: str
    pos: int
    start: int
    end: int
    chinese: bool
    inner: bool = False


def use_cache_dir(folder: str | Path) -> None:
    """Say where jieba keeps its dictionary cache (the instance folder, never the repository)."""
    global _jieba_cache_dir
    _jieba_cache_dir = Path(folder)


def prepare_jieba() -> None:
    """Load jieba's dictionary once per process, quietly.

    The cache (a pickled dictionary) goes where `use_cache_dir` said, else in the system
    temp directory; jieba's start-up chatter is turned down to warnings.
    """
    global _jieba_ready
    if _jieba_ready:
        return
    with _jieba_lock:
        if _jieba_ready:
            return
        jieba.setLogLevel(logging.WARNING)
        if _jieba_cache_dir is not None:
            _jieba_cache_dir.mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = str(_jieba_cache_dir)
        jieba.initialize()
        _jieba_ready = True


def normalize(text: str) -> str:
    """Fold width and case and drop control characters (NUL included)."""
    if not text:
        return ""
    return _CONTROL.sub(" ", unicodedata.normalize("NFKC", text)).lower()


def is_chinese(text: str) -> bool:
    return any(_is_cjk(char) for char in text)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return porter_stem(word)


@lru_cache(maxsize=200_000)
def pinyin_of(word: str) -> tuple[str, ...]:
    """The toneless syllables of a Chinese word ("龙井" → ("long", "jing"))."""
    # Imported here: pypinyin loads its dictionaries (tens of MB) on import, which a worker
    # that only serves pages never needs.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore")
    return tuple(s.lower() for s in syllables if s.isascii() and s.isalpha())


@lru_cache(maxsize=200_000)
def _inner_words(word: str) -> tuple[tuple[str, int], ...]:
    """Dictionary words inside a long Chinese word, with their offset in it."""
    if len(word) < 3:
        return ()
    freq = jieba.dt.FREQ
    found = []
    for size in range(len(word) - 1, 1, -1):
        for at in range(0, len(word) - size + 1):
            piece = word[at:at + size]
            if freq.get(piece):
                found.append((piece, at))
    return tuple(found)


def words(text: str, *, inner: bool = True) -> list[Word]:
    """Cut `text` into search words with word-counted positions.

    With `inner` (indexing), long Chinese words also yield the words inside them at the
    same position; queries leave them out so that a phrase keeps one word per position.
    """
    prepare_jieba()
    folded = normalize(text)
    result: list[Word] = []
    pos = 0
    offset = 0
    for piece in jieba.cut(folded, HMM=True):
        start = offset
        offset += len(piece)
        if is_chinese(piece):
            if piece in CHINESE_STOP_WORDS:
                continue
            result.append(Word(piece, piece, pos, start, offset, True))
            if inner:
                for sub, at in _inner_words(piece):
                    result.append(Word(sub, sub, pos, start + at, start + at + len(sub), True, True))
            pos += 1
            continue
        for match in _LATIN_WORD.finditer(piece):
            raw = match.group()
            if raw in ENGLISH_STOP_WORDS:
                continue
            result.append(Word(stem(raw), raw, pos, start + match.start(), start + match.end(), False))
            pos += 1
    return result


def encode_positions(found: list[Word]) -> str:
    """Write words as "w1 w2|inner w3": spaces between positions, "|" within one.

    Documents are analysed once in Python; the backends read this form back (Whoosh with
    a tokenizer that splits it, PostgreSQL through the text it builds its tsvector from).
    Words never contain a space or a "|": they are Chinese or [a-z0-9]+ only.
    """
    slots: list[list[str]] = []
    last = -1
    for word in found:
        if word.pos != last:
            slots.append([word.term])
            last = word.pos
        elif word.term not in slots[-1]:
            slots[-1].append(word.term)
    return " ".join("|".join(slot) for slot in slots)


@lru_cache(maxsize=50_000)
def name_words(text: str) -> tuple[Word, ...]:
    """`words` of a short text that many listings share (a county, a cooperative, a GI name)."""
    return tuple(words(text))


def pinyin_from(found, *, syllables: bool = True) -> list[str]:
    """Pinyin of the Chinese words: joined, then (with `syllables`) by syllable ("longjing long jing").

    Latin words are left out: they are indexed as English already.
    """
    out: list[str] = []
    for word in found:
        if not word.chinese:
            continue
        parts = pinyin_of(word.term)
        if not parts:
            continue
        joined = "".join(parts)
        out.append(joined)
        if "v" in joined:
            out.append(joined.replace("v", "u"))
        if syllables and len(parts) > 1 and not word.inner:
            out.extend(parts)
    return out


def name_pinyin(name: str) -> list[str]:
    """A whole Chinese name in pinyin without spaces ("西湖龙井" → "xihulongjing")."""
    if not is_chinese(name):
        return []
    syllables = [s for part in normalize(name).split() for s in pinyin_of(part)]
    return ["".join(syllables)] if len(syllables) > 1 else []


def spelling_from(found: list[Word]) -> list[str]:
    """Latin words as typed (unstemmed), for "did you mean" and typo tolerance."""
    return [word.raw for word in found
            if not word.chinese and len(word.raw) >= 3 and not word.raw.isdigit()]


_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])")


def join_chinese(text: str) -> str:
    """Drop the spaces between Chinese characters ("龙 井" → "龙井"): Chinese is written
    without spaces, so a space there only splits a word the shopper meant whole."""
    return _CJK_GAP.sub("", text or "")


def chinese_runs(text: str) -> list[str]:
    """The runs of Chinese characters in `text`, in order."""
    runs, current = [], []
    for char in normalize(text):
        if _is_cjk(char):
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def character_keys(text: str) -> list[str]:
    """Every Chinese character and every pair of neighbours, once each ("绿茶叶" → 绿 茶 叶 绿茶 茶叶).

    Indexed beside jieba's words, so that a single character (桃, 米) and a two-character
    word finds the text however jieba cut it ("绿 茶叶" still holds 绿茶); a longer query
    word is found by all of its pairs (`pairs_of`).
    """
    keys: dict[str, None] = {}
    for run in chinese_runs(text):
        keys.update(dict.fromkeys(run))
        keys.update(dict.fromkeys(run[i:i + 2] for i in range(len(run) - 1)))
    return list(keys)


def pairs_of(word: str) -> tuple[str, ...]:
    """The neighbouring pairs of a Chinese word of three or more characters, else nothing."""
    if len(word) < 3 or not all(_is_cjk(char) for char in word):
        return ()
    return tuple(dict.fromkeys(word[i:i + 2] for i in range(len(word) - 1)))
