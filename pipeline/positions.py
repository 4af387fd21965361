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
from typing import Iterable

from .tones import fold

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


class PositionParser:
    def __init__(self, heads: Iterable[str], modifiers: Iterable[str] = (), abbreviations: dict[str, str] | None = None,
                 unit_words: Iterable[str] = (), levels: dict[str, Iterable[str]] | None = None,
                 places: Iterable[str] = ()):
        self.heads = sorted({_key(h.split()) for h in heads if h.strip()}, key=len, reverse=True)
        self.modifiers = sorted({_key(m.split()) for m in modifiers if m.strip()}, key=len, reverse=True)
        self.abbreviations = {k: v for k, v in (abbreviations or {}).items()}
        self.unit_words = {_key(u.split()) for u in unit_words if u.strip()}
        self.levels = [(level, sorted({_key(w.split()) for w in words}, key=len, reverse=True))
                       for level, words in (levels or {}).items()]
        self.places = {_key(p.split()) for p in places if p.strip()}

    def norm(self, text: str) -> str:
        """Folded text with abbreviations expanded ("UBND" -> "ủy ban nhân dân")."""
        return fold(" ".join(self.abbreviations.get(w, w) for w in text.split()))

    def parse(self, text: str) -> ParsedPosition:
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        keys = _key(w for _, _, w in words)
        n = self._match(keys, 0, self.heads) or len(words)
        while n < len(words) and (extra := self._match(keys, n, self.modifiers)):
            n = extra
        head = Part(words[0][0], words[n - 1][1], text[words[0][0]:words[n - 1][1]]) if words else Part(0, 0, "")
        organization = place = None
        if n < len(words):
            organization = Part(words[n][0], words[-1][1], text[words[n][0]:words[-1][1]])
            place = self._place(text, words, keys, n)
        return ParsedPosition(head, organization, place, self.norm(text), self._level(keys[n:]))

    @staticmethod
    def _match(keys: tuple[str, ...], i: int, options: list[tuple[str, ...]]) -> int:
        for option in options:
            if keys[i:i + len(option)] == option:
                return i + len(option)
        return 0

    def place_in(self, text: str) -> Part | None:
        """The place written inside a name ("UBND huyện Đắk Song" -> "huyện Đắk Song"), if any."""
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        return self._place(text, words, _key(w for _, _, w in words), 0) if words else None

    def _place(self, text: str, words, keys, start: int) -> Part | None:
        for i in range(start, len(words) - 1):
            for unit in self.unit_words:
                end = i + len(unit)
                if keys[i:end] == unit and end < len(words) and words[end][2][:1].isupper():
                    return Part(words[i][0], words[-1][1], text[words[i][0]:words[-1][1]])
        for i in range(start + 1, len(words)):  # a bare province at the end: "Công an Đắk Nông"
            if keys[i:] in self.places and words[i][2][:1].isupper():
                return Part(words[i][0], words[-1][1], text[words[i][0]:words[-1][1]])
        return None

    def unit_level(self, place: str) -> str | None:
        """The level a place's own unit word names ("huyện Đắk Song" -> district), if any."""
        keys = _key(place.split())
        for level, words in self.levels:
            if any(keys[:len(w)] == w and len(keys) > len(w) for w in words):
                return level
        return None

    def _level(self, keys: tuple[str, ...]) -> str | None:
        for i in range(len(keys)):
            for level, words in self.levels:
                if any(keys[i:i + len(w)] == w for w in words):
                    return level
        return None
