"""Split text into syllables (and punctuation, numbers, abbreviations) with offsets.

The patterns below are underthesea's own (``underthesea/pipeline/word_tokenize/
regex_tokenize.py``, underthesea 9.5.0, Copyright Vu Anh, Apache License 2.0),
so our syllables are the units its CRF segmenter was trained on. They are copied
rather than imported because importing underthesea costs ~0.7 s of start-up in
every worker; ``tests/test_syllables.py`` checks that both still agree. Changes:

- combining marks that NFC could not compose stay attached to their letter;
- invisible characters (zero-width space/joiner, BOM, soft hyphen, controls)
  never become tokens: they stay in the text, outside every token.

>>> [(s, e, t) for s, e, t in syllables("Ủy ban\\u200b nhân dân TP. Hồ Chí Minh")][:4]
[(0, 2, 'Ủy'), (3, 6, 'ban'), (8, 12, 'nhân'), (13, 16, 'dân')]
"""
# flake8: noqa: E501
from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import is_not

from .tones import WORD_CACHE_SIZE

COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
INVISIBLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0e-\x1f\x7f-\x9f"
# After one of these a word is capitalised whatever it is (it opens a sentence, a clause, a
# quote or a list item), so its capital says nothing about a name.
CLAUSE_OPENERS = frozenset(".!?…:;“\"‘'«([{-–—•*\n")

# --- underthesea's patterns (Apache-2.0), unchanged except where marked ----------------
UPPER = "[" + "".join([
    "A-Z",
    "ÀÁẢÃẠ",
    "ĂẰẮẲẴẶ",
    "ÂẦẤẨẪẬ",
    "Đ",
    "ÈÉẺẼẸ",
    "ÊỀẾỂỄỆ",
    "ÌÍỈĨỊ",
    "ÒÓỎÕỌ",
    "ÔỒỐỔỖỘ",
    "ƠỜỚỞỠỢ",
    "ÙÚỦŨỤ",
    "ƯỪỨỬỮỰ",
    "ỲÝỶỸỴ"
]) + "]"
LOWER = UPPER.lower()
W = "[" + UPPER[1:-1] + LOWER[1:-1] + "]"  # upper and lower


#################################################
# PRIORITY 1                                    #
#################################################
specials = [
    r"=\>",
    r"==>",
    r"->",
    r"\.{2,}",
    r"-{2,}",
    r">>",
    r"\d+x\d+",  # dimension: 3x4
    r"v\.v\.\.\.",
    r"v\.v\.",
    r"v\.v",
    r"°[CF]"
]
specials = "(?P<special>(" + "|".join(specials) + "))"

abbreviations = [
    r"[A-ZĐ]+&[A-ZĐ]+",  # & at middle of word (e.g. H&M)
    r"T\.Ư",  # dot at middle of word
    rf"{UPPER}+(?:\.{W}+)+\.?",
    f"{W}+['’]{W}+",  # ' ’ at middle of word
    # e.g. H'Mông, xã N’Thôn Hạ
    r"[A-ZĐ]+\.(?!$)",  # dot at the end of word
    r"Tp\.",
    r"Mr\.", r"Mrs\.", r"Ms\.",
    r"Dr\.", r"ThS\.", "Th.S", "Th.s",
    r"e-mail",  # - at middle of word
    r"\d+[A-Z]+\d*-\d+",  # vehicle plates
    # e.g. 43H-0530
    r"NĐ-CP"
]
abbreviations = "(?P<abbr>(" + "|".join(abbreviations) + "))"

#################################################
# PRIORITY 2                                    #
#################################################

# urls pattern from nltk
# https://www.nltk.org/_modules/nltk/tokenize/casual.html
# with Vu Anh's modified to match fpt protocol
url = r"""             # Capture 1: entire matched URL
  (?:
  (ftp|http)s?:               # URL protocol and colon
    (?:
      /{1,3}            # 1-3 slashes
      |                 #   or
      [a-z0-9%]         # Single letter or digit or '%'
                        # (Trying not to match e.g. "URI::Escape")
    )
    |                   #   or
                        # looks like domain name followed by a slash:
    [a-z0-9.\-]+[.]
    (?:[a-z]{2,13})
    /
  )
  (?:                                  # One or more:
    [^\s()<>{}\[\]]+                   # Run of non-space, non-()<>{}[]
    |                                  #   or
    \([^\s()]*?\([^\s()]+\)[^\s()]*?\) # balanced parens, one level deep: (...(...)...)
    |
    \([^\s]+?\)                        # balanced parens, non-recursive: (...)
  )+
  (?:                                  # End with:
    \([^\s()]*?\([^\s()]+\)[^\s()]*?\) # balanced parens, one level deep: (...(...)...)
    |
    \([^\s]+?\)                        # balanced parens, non-recursive: (...)
    |                                  #   or
    [^\s`!()\[\]{};:'".,<>?«»“”‘’]     # not a space or one of these punct chars
  )
  |                        # OR, the following to match naked domains:
  (?:
    (?<!@)                 # not preceded by a @, avoid matching foo@_gmail.com_
    [a-z0-9]+
    (?:[.\-][a-z0-9]+)*
    [.]
    (?:[a-z]{2,13})
    \b
    /?
    (?!@)                  # not succeeded by a @,
                           # avoid matching "foo.na" in "foo.na@example.com"
  )
"""
url = "(?P<url>" + url + ")"

email = r"[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+"
email = "(?P<email>" + email + ")"

phone = [
    r"\d{2,}-\d{3,}-\d{3,}"  # e.g. 03-5730-2357
    # very careful, it's easy to conflict with datetime
]
phone = "(?P<phone>(" + "|".join(phone) + "))"

datetime = [
    # date
    r"\d{1,2}\/\d{1,2}\/\d+",  # e.g. 02/05/2014
    r"\d{1,2}\/\d{1,4}",  # e.g. 02/2014
    #   [WIP] conflict with number 1/2 (a half)
    r"\d{1,2}-\d{1,2}-\d+",  # e.g. 02-03-2014
    r"\d{1,2}-\d{1,4}",  # e.g. 08-2014
    #   [WIP] conflict with range 5-10 (from 5 to 10)
    r"\d{1,2}\.\d{1,2}\.\d+",  # e.g. 20.08.2014
    r"\d{4}\/\d{1,2}\/\d{1,2}",  # e.g. 2014/08/20
    r"\d{2}:\d{2}:\d{2}"  # time
    # e.g. 10:20:50 (10 hours, 20 minutes, 50 seconds)
]
datetime = "(?P<datetime>(" + "|".join(datetime) + "))"

name = [
    r"\d+[A-Z]+\d+",
    r"\d+[A-Z]+"  # e.g. 4K
]
name = "(?P<name>(" + "|".join(name) + "))"

number = [
    r"\d+(?:\.\d+)+,\d+",  # e.g. 4.123,2
    r"\d+(?:\.\d+)+",  # e.g. 60.542.000
    r"\d+(?:,\d+)+",  # e.g. 100,000,000
    r"\d+(?:[\.,_]\d+)?",  # 123
]
number = "(?P<number>(" + "|".join(number) + "))"

emoji = [
    r":\)\)*",
    r"=\)\)+",
    r"♥‿♥",
    r":D+(?=\s)",  # :D
    r":D+(?=$)",  # special e.g. Đạo diễn :Dương Tuấn Anh
    r"<3"  # heart
]
emoji = "(?P<emoji>(" + "|".join(emoji) + "))"

punct = [
    r"\.",
    r"\,",
    r"\(",
    r"\)",
    r"ʺ"  # Modifier Letter Double Prime symbol (U+02BA)
]
punct = "(?P<punct>(" + "|".join(punct) + "))"

#################################################
# PRIORITY 3                                    #
#################################################
# word = r"(?P<word>\w+)"  # replaced below

word_hyphen = [
    r"(?<=\b)\w+\-[\w+-]*\w+"  # before word_hyphen must be word boundary
    # case to notice: 1.600m-2.000m
]
word_hyphen = "(?P<word_hyphen>(" + "|".join(word_hyphen) + "))"

symbol = [
    r"\+",
    r"×",
    r"-",
    r"÷",
    r":+",
    r"%",
    r"%",
    r"\$",
    r"\>",
    r"\<",
    r"=",
    r"\^",
    r"_",
    r":+"
]
symbol = "(?P<sym>(" + "|".join(symbol) + "))"

# non_word = r"(?P<non_word>[^\w\s])"  # replaced below

# vnpipe: words keep their combining marks; invisible characters are never matched.
word = f"(?P<word>\\w[\\w{COMBINING}]*)"
non_word = f"(?P<non_word>[^\\w\\s{INVISIBLE}{COMBINING}][{COMBINING}]*|[{COMBINING}]+)"

# Caution: order is very important for regex
regex_patterns = [
    specials,  # Priority 1
    abbreviations,
    url,  # Priority 2
    email,
    phone,
    datetime,  # datetime must be before number
    name,
    number,
    emoji,
    punct,
    word_hyphen,  # Priority 3
    word,
    symbol,
    non_word,  # non_word must be last
]
PATTERN = re.compile("|".join(regex_patterns), re.VERBOSE | re.UNICODE)
# --- end of underthesea's patterns -------------------------------------------------------


def syllables(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, text) of each syllable-level unit in ``text[start:end]``.

    The same units as ``PATTERN.finditer(text, start, end)``, found once per distinct
    whitespace-separated chunk: no pattern matches whitespace or looks more than one
    character past a chunk, so a chunk with whitespace on both sides always splits the same
    way, and most chunks of news text are a handful of thousand syllables that repeat. Most
    chunks are one unit, the chunk itself: those become units in bulk, and only the others
    ("Song,", "(TTXVN)") are split one by one.
    """
    end = len(text) if end is None else end
    parts = _SPACES.split(text[start:end])  # chunk, whitespace, chunk, ..., chunk ('' at a bare edge)
    offsets = list(accumulate(map(len, parts), initial=start))
    chunks, starts, ends = parts[0::2], offsets[0::2], offsets[1::2]
    lo, hi = (1 if chunks[0] == "" else 0), (len(chunks) - 1 if chunks[-1] == "" else len(chunks))
    units: list[tuple[int, int, str]] = []
    if lo >= hi:
        return units
    if starts[lo] == start:  # the first chunk may see what precedes the range
        _add_edge_units(units, text, starts[lo], ends[lo], start, end)
        lo += 1
    if lo == hi:
        return units
    hi -= 1  # the last chunk, hi, may see the range's end
    splits = list(map(_split_chunk, chunks[lo:hi]))
    run = lo  # chunks run..k-1 are each one unit, the chunk itself
    for k in compress(range(lo, hi), map(is_not, splits, repeat(None))):
        units.extend(zip(starts[run:k], ends[run:k], chunks[run:k]))
        at = starts[k]
        units.extend([(at + a, at + b, unit) for a, b, unit in splits[k - lo]])
        run = k + 1
    units.extend(zip(starts[run:hi], ends[run:hi], chunks[run:hi]))
    _add_edge_units(units, text, starts[hi], ends[hi], start, end)
    return units


def _add_edge_units(units: list[tuple[int, int, str]], text: str, chunk_start: int, chunk_end: int,
                    start: int, end: int) -> None:
    if _in_plain_context(text, chunk_start, chunk_end, start, end):
        units.extend([(chunk_start + a, chunk_start + b, unit) for a, b, unit in _chunk_units(text[chunk_start:chunk_end])])
    else:
        units.extend(_units_in_place(text, chunk_start, chunk_end, end))


_SPACES = re.compile(r"(\s+)")


def _in_plain_context(text: str, chunk_start: int, chunk_end: int, start: int, end: int) -> bool:
    r"""Whitespace (or the string's start) before the chunk and whitespace after it that is
    not the range's final "\n": then the patterns' look-arounds (``\b``, ``(?<!@)``,
    ``(?=\s)``, ``(?!$)``) see what they see in ``chunk + " "``."""
    if chunk_start == start and start > 0 and not text[start - 1].isspace():
        return False
    rest = end - chunk_end
    return rest > 1 or (rest == 1 and text[chunk_end] != "\n")


@lru_cache(maxsize=WORD_CACHE_SIZE)  # bounded: memory stays flat over an archive
def _split_chunk(chunk: str) -> tuple[tuple[int, int, str], ...] | None:
    """The units of a chunk between whitespace, or None when it is one unit, itself."""
    if chunk.isalpha():  # every pattern before ``word`` needs a digit, a mark or a symbol
        return None
    found = tuple((m.start(), m.end(), m.group()) for m in PATTERN.finditer(chunk + " "))
    return None if found == ((0, len(chunk), chunk),) else found


def _chunk_units(chunk: str) -> tuple[tuple[int, int, str], ...]:
    found = _split_chunk(chunk)
    return ((0, len(chunk), chunk),) if found is None else found


def _units_in_place(text: str, chunk_start: int, chunk_end: int, end: int) -> list[tuple[int, int, str]]:
    """A chunk at the edge of the range, matched where it stands."""
    units = []
    for m in PATTERN.finditer(text, chunk_start, end):
        if m.start() >= chunk_end:
            break
        units.append((m.start(), m.end(), m.group()))
    return units


_SYLLABLE_LIKE = re.compile(r"\w+")


def count_syllables(text: str) -> int:
    """Runs of letters/digits: the unit of every syllables/s figure vnpipe reports."""
    return len(_SYLLABLE_LIKE.findall(text))
