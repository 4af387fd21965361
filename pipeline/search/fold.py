"""The search key: one spelling for every way a Vietnamese word can be typed.

A query and the text it should find often differ only in case, in diacritics
(``Ngô Đức Trọng`` / ``ngo duc trong``) or in tone-mark style (``uỷ`` / ``ủy``).
:func:`pipeline.tones.stripped` removes all three, ``đ`` -> ``d`` included
(SQLite's ``remove_diacritics`` leaves ``đ`` alone), character for character:
offsets in the folded text are offsets in the original, which is how
snippets highlight the original text.  Once the marks are gone, the tone
style no longer matters, so no canonical placement is needed before folding.

>>> key("Ngô Đức Trọng") == key("NGÔ ĐỨC TRỌNG") == key("ngo duc trong") == "ngo duc trong"
True
>>> key("Huyện Uỷ") == key("huyện ủy"), key("UBND huyện Đắk Song,")
(True, 'ubnd huyen dak song')
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..tones import stripped

__all__ = ["FOLD_VERSION", "fold", "fold_document", "terms", "key", "word_spans", "first_word_span", "one_edit_pattern", "word_match"]

# Stored in every index: the full-text index can only delete what it was given,
# so an index folded by other rules must be rebuilt, not updated.
FOLD_VERSION = "1"

# FTS5's unicode61 tokenizer keeps letters and digits; everything else separates.
_TERM = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """NFC, lower case, no diacritics, đ -> d.  Same length as NFC ``text``."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return stripped(text)


_TABLE_SIZE = 0x3000  # Latin (Vietnamese included), Greek, Cyrillic, ..., general punctuation
_TABLE = None  # numpy array, code point -> code point of stripped(chr(code point))


def fold_document(text: str) -> str:
    """``stripped(text)``, vectorised for long texts: the same characters, several times faster.

    The table is built from :func:`pipeline.tones.stripped` itself, so the two
    cannot disagree; the rare characters beyond it go through ``stripped`` one by one.
    """
    import numpy

    global _TABLE
    if _TABLE is None:
        _TABLE = numpy.array([ord(c) for c in stripped("".join(map(chr, range(_TABLE_SIZE))))], dtype=numpy.uint32)
    try:
        points = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return stripped(text)
    inside = points < _TABLE_SIZE
    folded = points.copy()
    folded[inside] = _TABLE[points[inside]]
    for i in numpy.flatnonzero(~inside):
        folded[i] = ord(stripped(chr(points[i])))
    return folded.tobytes().decode("utf-32-le")


def terms(text: str) -> list[str]:
    """The folded words of ``text``, as the full-text index sees them."""
    return _TERM.findall(fold(text))


def key(text: str) -> str:
    """Folded words joined by single spaces: the form names are stored and matched in."""
    return " ".join(terms(text))


@lru_cache(maxsize=256)
def _words_pattern(needles: tuple[str, ...]) -> re.Pattern:
    """Whole-word matches of any needle; the words of a needle may be separated as FTS5 allows
    (any run of non-word characters: "chủ-tịch", "Chủ\ntịch")."""
    alternatives = "|".join(r"[\W_]+".join(map(re.escape, n.split())) for n in sorted(set(needles), key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def word_spans(folded: str, needles: list[str]) -> list[tuple[int, int]]:
    """Where any of ``needles`` (folded words, or words separated by spaces) occurs as whole
    words in ``folded`` (sorted spans)."""
    needles = [n for n in needles if n.strip()]
    if not needles:
        return []
    return [m.span() for m in _words_pattern(tuple(needles)).finditer(folded)]


def first_word_span(text: str, needles: list[str], end: int | None = None, chunk: int = 2048
                    ) -> tuple[int, int] | None:
    """The first place before ``end`` where one of ``needles`` occurs as whole words in the
    ORIGINAL ``text``, folding only as much of it as needed (matches are usually near the top)."""
    needles = [n for n in needles if n.strip()]
    if not needles:
        return None
    pattern = _words_pattern(tuple(needles))
    overlap = 2 * max(map(len, needles)) + 16  # a match across a chunk edge lies inside the overlap
    end = len(text) if end is None else min(end, len(text))
    for start in range(0, end, chunk):
        low = max(0, start - overlap - 1)  # one more character: the look-behind sees it
        high = min(len(text), start + chunk)
        folded = stripped(text[low:high])
        for m in pattern.finditer(folded, 1 if low else 0):
            if m.end() == len(folded) and high < len(text):
                break  # the word may go on: the next chunk overlaps and decides
            return low + m.start(), low + m.end()
    return None


@lru_cache(maxsize=256)
def one_edit_pattern(query: str) -> re.Pattern:
    """A regex for whole-word runs at most one edit (substitution, deletion, insertion) from ``query``.

    >>> bool(one_edit_pattern("ngo duc tong").search("ong ngo duc trong"))
    True
    """
    q = [re.escape(c) for c in query]
    variants = {"".join(q)}
    for i in range(len(q)):
        variants.add("".join(q[:i]) + "." + "".join(q[i + 1:]))  # substituted
        variants.add("".join(q[:i]) + "".join(q[i + 1:]))        # deleted
        variants.add("".join(q[:i]) + "." + "".join(q[i:]))      # inserted
    variants.add("".join(q) + ".")
    variants.discard("")
    alternatives = "|".join(sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def word_match(query: str, name: str, fuzzy: bool) -> int | None:
    """0 when ``query`` is a run of whole words of ``name`` (both keys), 1 when
    it is one edit away from such a run and ``fuzzy``; else None.

    >>> word_match("dak song", "huyen dak song", False), word_match("ngo duc tong", "ngo duc trong", True)
    (0, 1)
    >>> word_match("dak so", "huyen dak song", True) is None
    True
    """
    if f" {query} " in f" {name} ":
        return 0
    if not fuzzy:
        return None
    return 1 if one_edit_pattern(query).search(name) else None
