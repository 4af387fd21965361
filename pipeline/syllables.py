"""Split text into syllables (and punctuation, numbers, abbreviations) with offsets.

The patterns are underthesea's own (``regex_tokenize.regex_patterns``), imported
rather than copied, so our syllables are the units its CRF segmenter was trained
on; two changes keep offsets honest:

- combining marks that NFC could not compose stay attached to their letter;
- invisible characters (zero-width space/joiner, BOM, soft hyphen, controls)
  never become tokens: they stay in the text, outside every token.

>>> [(s, e, t) for s, e, t in syllables("Ủy ban\\u200b nhân dân TP. Hồ Chí Minh")][:4]
[(0, 2, 'Ủy'), (3, 6, 'ban'), (8, 12, 'nhân'), (13, 16, 'dân')]
"""
from __future__ import annotations

import re

from underthesea.pipeline.word_tokenize import regex_tokenize

COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
INVISIBLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0e-\x1f\x7f-\x9f"


def _build_pattern() -> re.Pattern[str]:
    replacements = {
        "(?P<word>": f"(?P<word>\\w[\\w{COMBINING}]*)",
        "(?P<non_word>": f"(?P<non_word>[^\\w\\s{INVISIBLE}{COMBINING}][{COMBINING}]*|[{COMBINING}]+)",
    }
    parts = []
    for pattern in regex_tokenize.regex_patterns:
        for prefix, replacement in replacements.items():
            if pattern.startswith(prefix):
                pattern = replacement
        parts.append(pattern)
    return re.compile("|".join(parts), re.VERBOSE | re.UNICODE)


PATTERN = _build_pattern()


def syllables(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, text) of each syllable-level unit in ``text[start:end]``."""
    end = len(text) if end is None else end
    return [(m.start(), m.end(), m.group()) for m in PATTERN.finditer(text, start, end)]


_SYLLABLE_LIKE = re.compile(r"\w+")


def count_syllables(text: str) -> int:
    """Runs of letters/digits: the unit of every syllables/s figure vnpipe reports."""
    return len(_SYLLABLE_LIKE.findall(text))
