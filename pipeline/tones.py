"""Canonical tone-mark placement for Vietnamese text (the matching key).

Vietnamese writes the same syllable in two ways when its vowel cluster has
two or more vowels: the *old style* (kiểu cũ) puts the tone mark on the
first vowel of an open ``oa``, ``oe`` or ``uy`` (``hòa``, ``khỏe``,
``thủy``, ``ủy``), the *new style* (kiểu mới) on the second one (``hoà``,
``khoẻ``, ``thuỷ``, ``uỷ``).  Unicode normalisation cannot reconcile them:
``hòa`` and ``hoà`` are different strings in NFC and in NFD.  Typing
mistakes add more variants (``qúy``, ``gìa``, ``ngòai``, ``ngừơi``).

vnpipe matches words on ONE placement, the old style, because it is the
one produced by underthesea's text normalizer (which vnpipe runs) and the
one most news sites and dictionaries use.  The rule, applied to the vowel
cluster left after the onset (the ``u`` of ``qu`` and the ``i`` of ``gi``
belong to the onset when another vowel follows):

* a single vowel takes the tone;
* otherwise, when the cluster has a vowel with a diacritic (ă â ê ô ơ ư),
  the last such vowel takes it (``tiếng``, ``muốn``, ``người``, ``cứu``);
* otherwise a three-vowel cluster puts it on the middle vowel
  (``ngoài``, ``khuỷu``, ``ngoẹo``);
* otherwise a two-vowel cluster puts it on the first vowel when the
  syllable is open (``hòa``, ``thủy``, ``mía``, ``hỏi``) and on the second
  when a final consonant follows (``hoàn``, ``huýt``, ``soóc``).

Only strings that parse as one Vietnamese syllable (onset, a known vowel
cluster, final consonant) with exactly one tone mark are rewritten; every
other run of letters (``UBND``, ``hello``, ``Byă``, ``façade``, names of
minority languages like ``Ayún``) is left as it is.

Speed: :func:`fold` runs on every token, so syllables, short texts and
folded tokens are memoised (``functools.lru_cache``) and text without a
toned vowel next to another vowel is returned at once; ``canonical_text``
takes about 0.06 s per MB of news text.

>>> canonical_text("Chủ tịch Uỷ ban nhân dân huyện hoà giải")
'Chủ tịch Ủy ban nhân dân huyện hòa giải'
>>> fold("Huyện Uỷ") == fold("huyện ủy") == "huyện ủy"
True
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Memo sizes. Syllables are a closed set (~15,000 distinct in 3,000 news articles), so their
# caches end up holding nearly all of them. Words and short texts are not: a cache big enough
# for every one grows with the archive (11,500 -> 40,000 entries and +15 MB of RSS from 300 to
# 3,000 articles), while 8,192 of them keep 97% of fold's hits there.
SYLLABLE_CACHE_SIZE = 32768
WORD_CACHE_SIZE = 8192

__all__ = ["canonical_syllable", "canonical_text", "fold", "new_style_syllable"]

_NFC = "NFC"

# Tone marks as combining characters, index 1..5 (0 = level tone, no mark).
_TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
# Vowels (lower case) before the tone mark; ă â ê ô ơ ư carry a diacritic
# that attracts the tone in multi-vowel clusters.
_VOWELS = "aăâeêioôơuưy"
_DIACRITIC_VOWELS = frozenset("ăâêôơư")
_CONSONANTS = "bcdđghklmnpqrstvx" + "fjwz"  # f j w z: letters, never onsets

# char -> (lower-case base letter without tone, tone index, is upper case)
_CHAR_INFO: dict[str, tuple[str, int, bool]] = {}
# (lower-case base vowel, tone index) -> lower-case NFC character
_COMPOSE: dict[tuple[str, int], str] = {}
for _v in _VOWELS:
    for _t, _mark in enumerate(_TONE_MARKS):
        _lo = unicodedata.normalize(_NFC, _v + _mark)
        _up = unicodedata.normalize(_NFC, _v.upper() + _mark)
        assert len(_lo) == 1 and len(_up) == 1 and _up.lower() == _lo
        _COMPOSE[_v, _t] = _lo
        _CHAR_INFO[_lo] = (_v, _t, False)
        _CHAR_INFO[_up] = (_v, _t, True)
for _c in _CONSONANTS:
    _CHAR_INFO[_c] = (_c, 0, False)
    _CHAR_INFO[_c.upper()] = (_c, 0, True)

_LETTERS = "".join(sorted(_CHAR_INFO))
_TONED = "".join(sorted(c for c, (_, t, _) in _CHAR_INFO.items() if t))
_ANY_VOWEL = "".join(sorted(c for c, (b, _, _) in _CHAR_INFO.items() if b in _VOWELS))

_ONSETS = frozenset(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split()
)
_CODAS = frozenset("c ch m n ng nh p t".split())
# Multi-vowel clusters (vowels after the onset, final glide included).
# Open: the syllable ends with the cluster.  Closed: a final consonant follows.
_OPEN_CLUSTERS = frozenset(
    "ai ao au âu ay ây eo êu ia iu oa oe oi ôi ơi ua uê ui uơ uy ưa ưi ưu ươ "
    "iêu yêu oai oao oay oeo uây uôi uya uyu ươi ươu".split()
)
_CLOSED_CLUSTERS = frozenset("iê yê uyê oa oă oe oo uâ uê uô uy ươ".split())

# A Vietnamese-letter run that contains a toned vowel next to another vowel:
# the only runs whose tone can be misplaced.  The look-behind anchors the
# match at the start of the run, so each run is tried once.
_CANDIDATE = re.compile(
    "(?<![{L}])[{L}]*?(?:[{T}][{V}]|[{V}][{T}])[{L}]*".format(
        L=_LETTERS, T=_TONED, V=_ANY_VOWEL
    )
)
# Fast path: text with none of these characters cannot change (apart from
# NFC composition).  Combining tone marks cover NFD input.
_MAY_CHANGE = re.compile("[{T}{M}]".format(T=_TONED, M="".join(_TONE_MARKS)))


def _tone_index(base: str) -> int:
    """Where the tone goes in ``base`` (lower case, toneless), or -1 if
    ``base`` is not one Vietnamese syllable."""
    n = len(base)
    i = 0
    while i < n and base[i] not in _VOWELS:
        i += 1
    onset = base[:i]
    if onset == "q" and base[i : i + 1] == "u":  # qu: u is part of the onset
        onset, i = "qu", i + 1
    elif onset == "g" and base[i : i + 1] == "i" and i + 1 < n and base[i + 1] in _VOWELS:
        onset, i = "gi", i + 1  # gi + vowel: i is part of the onset
    if onset and onset not in _ONSETS:
        return -1
    j = i
    while j < n and base[j] in _VOWELS:
        j += 1
    cluster, coda = base[i:j], base[j:]
    if not cluster or (coda and coda not in _CODAS):
        return -1
    if len(cluster) == 1:
        return i
    if cluster not in (_CLOSED_CLUSTERS if coda else _OPEN_CLUSTERS):
        return -1
    for k in range(len(cluster) - 1, -1, -1):
        if cluster[k] in _DIACRITIC_VOWELS:
            return i + k
    if len(cluster) == 3:
        return i + 1
    return i + 1 if coda else i


@lru_cache(maxsize=SYLLABLE_CACHE_SIZE)
def canonical_syllable(s: str) -> str:
    """Put the tone mark of one syllable where the old style puts it.

    ``s`` is a run of letters in NFC or NFD; the result is NFC, with the
    case of every letter kept.  Anything that is not one Vietnamese syllable
    with exactly one tone mark comes back unchanged (but NFC).

    >>> canonical_syllable("hoà"), canonical_syllable("thuỷ"), canonical_syllable("khoẻ")
    ('hòa', 'thủy', 'khỏe')
    >>> canonical_syllable("HOÀ"), canonical_syllable("Uỷ")
    ('HÒA', 'Ủy')
    >>> canonical_syllable("hòan"), canonical_syllable("ngòai"), canonical_syllable("ngừơi")
    ('hoàn', 'ngoài', 'người')
    >>> canonical_syllable("qúy"), canonical_syllable("gìa"), canonical_syllable("gìn")
    ('quý', 'già', 'gìn')
    >>> canonical_syllable("UBND"), canonical_syllable("hello"), canonical_syllable("Ayún")
    ('UBND', 'hello', 'Ayún')
    """
    if not unicodedata.is_normalized(_NFC, s):
        s = unicodedata.normalize(_NFC, s)
    infos = []
    tone = 0
    old = -1
    for k, ch in enumerate(s):
        info = _CHAR_INFO.get(ch)
        if info is None:
            return s  # not a Vietnamese letter
        if info[1]:
            if tone:
                return s  # two tone marks
            tone, old = info[1], k
        infos.append(info)
    if not tone:
        return s
    new = _tone_index("".join(base for base, _, _ in infos))
    if new < 0 or new == old:
        return s
    out = []
    for k, (base, _, upper) in enumerate(infos):
        ch = _COMPOSE[base, tone] if k == new else (_COMPOSE.get((base, 0)) or base)
        out.append(ch.upper() if upper else ch)
    return "".join(out)


def _is_letter(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch)[0] == "M"


def _replace_candidate(m: re.Match) -> str:
    word = m.group()
    text = m.string
    start, end = m.span()
    # The maximal run goes on with a non-Vietnamese letter or a combining
    # mark: it is not a Vietnamese syllable, leave it.
    if (start and _is_letter(text[start - 1])) or (end < len(text) and _is_letter(text[end])):
        return word
    return canonical_syllable(word)


def _canonical_nfc(text: str) -> str:
    """canonical_text for NFC ``text``, without caching."""
    if not _MAY_CHANGE.search(text):
        return text
    return _CANDIDATE.sub(_replace_candidate, text)


# Space-separated pieces of news text repeat a lot ("Uỷ", "hoà,", "2024"):
# short ones are cached whole.  Runs of letters never contain a space, so
# canonicalising piece by piece gives the same result as the whole text.
_SHORT = 32
_canonical_piece = lru_cache(maxsize=WORD_CACHE_SIZE)(_canonical_nfc)


def canonical_text(text: str) -> str:
    """Apply :func:`canonical_syllable` to every maximal run of letters
    (``str.isalpha`` characters and combining marks) of ``text``.

    The result is NFC.  For NFC input it has the same length, and every
    character that is not a letter stays at its position.

    >>> canonical_text("Uỷ ban hoà giải, 12/11: khoẻ.")
    'Ủy ban hòa giải, 12/11: khỏe.'
    >>> canonical_text("Thuỵ Điển")
    'Thụy Điển'
    """
    if not unicodedata.is_normalized(_NFC, text):
        text = unicodedata.normalize(_NFC, text)
    if len(text) <= _SHORT:
        return _canonical_piece(text)
    if not _MAY_CHANGE.search(text):
        return text
    return " ".join(
        [
            _canonical_piece(p) if len(p) <= _SHORT else _canonical_nfc(p)
            for p in text.split(" ")
        ]
    )


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _fold_short(text: str) -> str:
    return canonical_text(text).lower()


def fold(text: str) -> str:
    """The matching key: NFC, canonical tone placement, lower case.

    >>> fold("Huyện Uỷ"), fold("huyện ủy"), fold("HOÀ")
    ('huyện ủy', 'huyện ủy', 'hòa')
    """
    if len(text) <= _SHORT:
        return _fold_short(text)  # one token: the usual call
    return canonical_text(text).lower()


_NEW_STYLE_ENDINGS = ("oa", "oe", "uy")
_TONE_CHARS = frozenset(_TONE_MARKS[1:])


@lru_cache(maxsize=SYLLABLE_CACHE_SIZE)
def new_style_syllable(s: str) -> str:
    """The *new style* placement (tone on the second vowel of an open oa/oe/uy).

    Not used for matching: it is the style of the VLSP 2013 corpus that
    underthesea's word segmenter was trained on, so vnpipe feeds that model
    this form (measured: 98.62 F1 on VLSP 2013 test vs 98.00 with the old style).

    >>> new_style_syllable("hòa"), new_style_syllable("Ủy"), new_style_syllable("khỏe"), new_style_syllable("quý")
    ('hoà', 'Uỷ', 'khoẻ', 'quý')
    """
    s = canonical_syllable(s)
    decomposed = unicodedata.normalize("NFD", s)
    marks = [c for c in decomposed if c in _TONE_CHARS]
    if len(marks) != 1:
        return s
    bare = "".join(c for c in decomposed if c not in _TONE_CHARS)
    lower = bare.lower()
    if not lower.endswith(_NEW_STYLE_ENDINGS) or (lower.startswith("qu") and lower.endswith("uy")):
        return s
    return unicodedata.normalize("NFC", bare + marks[0])


class _StripTable(dict):
    """str.translate table filled on first sight of each character: base letter, lower case, đ -> d."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower().replace("đ", "d") if char.isalpha() else char
        self[code] = base = base if len(base) == 1 else char
        return base


_STRIP = _StripTable()


def stripped(text: str) -> str:
    """Lower case without diacritics, character for character, so offsets line up."""
    return text.translate(_STRIP)
