"""sentences: split each block into sentences.

Blocks already end at line breaks (see the normalize stage), so a caption
never merges with the paragraph after it. Inside a block, a run of ``.``,
``!``, ``?`` or an ellipsis (with any closing quotes or brackets after it) ends
a sentence when whitespace and then a sentence start follow: an upper-case
letter, a digit, an opening quote or bracket, or a list dash. A period does not
end a sentence after an abbreviation from ``configs/abbreviations.txt`` ("TP.",
"ThS.", "GS.TS."), after a single initial ("Nguyễn V. An"), or after a list
number ("1.") at the start of a block or after a colon. Periods inside numbers
and dates (1.047, 30/01/2024) are never followed by whitespace, so they are safe.

>>> from pipeline.stages.sentences import SentenceRules, split_block
>>> text = "Tại TP. Hồ Chí Minh, ThS. Lê Văn A phát biểu. Năm 2023 có 1.047 cá nhân... Tất cả đều đạt."
>>> [text[s.start:s.end] for s in split_block(text, 0, len(text), SentenceRules.default())]
['Tại TP. Hồ Chí Minh, ThS. Lê Văn A phát biểu.', 'Năm 2023 có 1.047 cá nhân...', 'Tất cả đều đạt.']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import configs_dir, resolve_path
from ..document import Document, Sentence
from ..resources import fingerprint, read_lines
from .normalize import IGNORABLE

_CANDIDATE = re.compile(r"(?:\.{2,}|…|[.!?]+)[\"”’'»)\]]*(?=[" + IGNORABLE + r"])")
_GAP = re.compile(f"[{IGNORABLE}]+")
_OPENERS = re.compile(r"[\"“‘'«(\[]*\s*")
_BULLETS = "-–—•+"
_WORD_BEFORE = re.compile(r"(\S+)$")
_LIST_NUMBER = re.compile(r"\(?\d{1,2}")


@dataclass(frozen=True)
class SentenceRules:
    abbreviations: frozenset[str]

    @classmethod
    def from_settings(cls, settings: dict[str, Any], base_dir: Path) -> "SentenceRules":
        path = resolve_path(settings.get("abbreviations", "abbreviations.txt"), base_dir)
        return cls(frozenset(read_lines(path)))

    @classmethod
    def default(cls) -> "SentenceRules":
        return cls.from_settings({}, configs_dir())

    def period_is_final(self, text: str, block_start: int, period: int) -> bool:
        """Is the period at ``text[period]`` (the end of a word) a sentence end?"""
        match = _WORD_BEFORE.search(text, block_start, period)
        if not match:
            return True
        word = match.group(1).lstrip("(\"“‘'[")
        if word in self.abbreviations:
            return False
        if len(word) == 1 and word.isupper():
            return False  # an initial: "Nguyễn V. An", "H. Đắk Song"
        if _LIST_NUMBER.fullmatch(word):
            before = text[block_start : match.start()].rstrip()
            if not before or before.endswith((":", ";")):
                return False  # a list number: "sau: 1. Tăng cường ..."
        return True


def _starts_sentence(text: str, i: int, end: int) -> bool:
    """An upper-case letter, a digit, or a list bullet followed by a space."""
    if i >= end:
        return False
    char = text[i]
    if char.isupper() or char.isdigit():
        return True
    return char in _BULLETS and i + 1 < end and text[i + 1].isspace()


def split_block(text: str, start: int, end: int, rules: SentenceRules) -> list[Sentence]:
    sentences = []
    sentence_start = start
    for match in _CANDIDATE.finditer(text, start, end):
        gap = _GAP.match(text, match.end(), end)
        if gap is None or gap.end() >= end:
            continue
        if not _starts_sentence(text, _OPENERS.match(text, gap.end(), end).end(), end):
            continue
        if text[match.start()] == "." and match.group().count(".") == 1 and "…" not in match.group():
            if not rules.period_is_final(text, sentence_start, match.start()):
                continue
        sentences.append(Sentence(sentence_start, match.end()))
        sentence_start = gap.end()
    if sentence_start < end:
        sentences.append(Sentence(sentence_start, end))
    return sentences


class SentenceSplitter:
    name = "sentences"

    def __init__(self, rules: SentenceRules):
        self.rules = rules
        self.version = f"vnpipe-sentences/0.1.0+{fingerprint(sorted(rules.abbreviations))}"

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            doc.sentences = [
                sentence for block in doc.blocks for sentence in split_block(doc.text, block.start, block.end, self.rules)
            ]
        return docs


def create(settings: dict[str, Any], base_dir: Path) -> SentenceSplitter:
    return SentenceSplitter(SentenceRules.from_settings(settings, base_dir))
