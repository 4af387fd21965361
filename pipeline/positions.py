"""Office titles taken apart: head, organisation, place, and a norm for search.

A POSITION span such as "Phó Chủ tịch Thường trực UBND huyện Đắk Song" reads as a
title head ("Phó Chủ tịch Thường trực"), the organisation it serves ("UBND huyện Đắk
Song") and, inside that, the place ("huyện Đắk Song"). Its ``norm`` expands the
abbreviations of ``configs/positions.toml`` and folds case and tone marks, so "Chủ
tịch UBND huyện" and "Chủ tịch Uỷ ban nhân dân huyện" index alike.

>>> parser = PositionParser(heads=["Chủ tịch", "Phó Chủ tịch"], modifiers=["Thường trực"],
...                         abbreviations={"UBND": "Ủy ban nhân dân"}, unit_words=["huyện", "tỉnh"])
>>> p = parser.parse("Phó Chủ tịch Thường trực UBND huyện Đắk Song")
>>> p.head.text, p.organization.text, p.place.text, p.norm
('Phó Chủ tịch Thường trực', 'UBND huyện Đắk Song', 'huyện Đắk Song', 'phó chủ tịch thường trực ủy ban nhân dân huyện đắk song')
>>> parser.parse("Chủ tịch Uỷ ban nhân dân huyện Đắk Song").norm == parser.parse("Chủ tịch UBND huyện Đắk Song").norm
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .tones import fold

# Entries per parse cache: the frequent titles recur across articles, the rest are rare. A
# parsed title is ~400 bytes, and three caches of 8,192 added 9.5 MB of peak RSS between 300
# and 3,000 articles (+10.6%); with 1,024 the peak grows 5.9%.
PHRASE_CACHE_SIZE = 1024

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Part:
    start: int  # offsets into the position's text
    end: int
    text: str

    def shifted(self, offset: int) -> dict:
        return {"start": self.start + offset, "end": self.end + offset, "text": self.text}


@dataclass(frozen=True)
class ParsedPosition:
    head: Part
    organization: Part | None
    place: Part | None
    norm: str
    level: str | None  # province, district or commune, from the organisation's words


def _key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(fold(w) for w in words)


class _Phrases:
    """Folded multi-word phrases, looked up by length at a position: one set lookup per
    length instead of comparing every phrase (there are hundreds of titles)."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]):
        by_length: dict[int, set[tuple[str, ...]]] = {}
        for phrase in phrases:
            by_length.setdefault(len(phrase), set()).add(phrase)
        self._by_length = sorted(by_length.items(), reverse=True)  # longest first

    def longest_at(self, keys: tuple[str, ...], i: int) -> int:
        """The end of the longest phrase at ``keys[i:]``, or 0."""
        for length, phrases in self._by_length:
            if keys[i:i + length] in phrases:
                return i + length
        return 0

    def ends_at(self, keys: tuple[str, ...], i: int) -> list[int]:
        """The end of every phrase at ``keys[i:]``, longest first."""
        return [i + length for length, phrases in self._by_length if keys[i:i + length] in phrases]

    def __iter__(self):
        return (phrase for _, phrases in self._by_length for phrase in phrases)

    def starts(self, keys: tuple[str, ...], i: int = 0, longer_than_itself: bool = False) -> bool:
        """Does a phrase start at ``keys[i]`` (with more words after it, if asked)?"""
        return any(keys[i:i + length] in phrases and (not longer_than_itself or len(keys) > i + length)
                   for length, phrases in self._by_length)


class PositionParser:
    def __init__(self, heads: Iterable[str], modifiers: Iterable[str] = (), abbreviations: dict[str, str] | None = None,
                 unit_words: Iterable[str] = (), levels: dict[str, Iterable[str]] | None = None,
                 places: Iterable[str] = ()):
        self.heads = _Phrases(_key(h.split()) for h in heads if h.strip())
        self.modifiers = _Phrases(_key(m.split()) for m in modifiers if m.strip())
        self.abbreviations = {k: v for k, v in (abbreviations or {}).items()}
        self.unit_words = _Phrases(_key(u.split()) for u in unit_words if u.strip())
        self.levels = [(level, _Phrases(_key(w.split()) for w in words)) for level, words in (levels or {}).items()]
        self.places = {_key(p.split()) for p in places if p.strip()}
        # the same titles and places recur in every article; the results are immutable
        self.parse = lru_cache(maxsize=PHRASE_CACHE_SIZE)(self.parse)
        self.place_in = lru_cache(maxsize=PHRASE_CACHE_SIZE)(self.place_in)
        self.unit_level = lru_cache(maxsize=PHRASE_CACHE_SIZE)(self.unit_level)

    def norm(self, text: str) -> str:
        """Folded text with abbreviations expanded ("UBND" -> "ủy ban nhân dân")."""
        return fold(" ".join(self.abbreviations.get(w, w) for w in text.split()))

    def parse(self, text: str) -> ParsedPosition:
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        keys = _key(w for _, _, w in words)
        n = self.heads.longest_at(keys, 0) or len(words)
        while n < len(words) and (extra := self.modifiers.longest_at(keys, n)):
            n = extra
        head = Part(words[0][0], words[n - 1][1], text[words[0][0]:words[n - 1][1]]) if words else Part(0, 0, "")
        organization = place = None
        if n < len(words):
            organization = Part(words[n][0], words[-1][1], text[words[n][0]:words[-1][1]])
            place = self._place(text, words, keys, n)
        return ParsedPosition(head, organization, place, self.norm(text), self._level(keys[n:]))

    def place_in(self, text: str) -> Part | None:
        """The place written inside a name ("UBND huyện Đắk Song" -> "huyện Đắk Song"), if any."""
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        return self._place(text, words, _key(w for _, _, w in words), 0) if words else None

    def _place(self, text: str, words, keys, start: int) -> Part | None:
        for i in range(start, len(words) - 1):
            if any(end < len(words) and words[end][2][:1].isupper() for end in self.unit_words.ends_at(keys, i)):
                return Part(words[i][0], words[-1][1], text[words[i][0]:words[-1][1]])
        for i in range(start + 1, len(words)):  # a bare province at the end: "Công an Đắk Nông"
            if keys[i:] in self.places and words[i][2][:1].isupper():
                return Part(words[i][0], words[-1][1], text[words[i][0]:words[-1][1]])
        return None

    def unit_level(self, place: str) -> str | None:
        """The level a place's own unit word names ("huyện Đắk Song" -> district), if any."""
        keys = _key(place.split())
        for level, words in self.levels:
            if words.starts(keys, 0, longer_than_itself=True):
                return level
        return None

    def _level(self, keys: tuple[str, ...]) -> str | None:
        for i in range(len(keys)):
            for level, words in self.levels:
                if words.starts(keys, i):
                    return level
        return None
