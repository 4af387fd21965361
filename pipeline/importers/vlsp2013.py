"""VLSP 2013 word segmentation: one sentence a line, words separated by spaces, a word's
syllables joined by ``_``; in ``.pos`` files each word is ``word/TAG`` (split on the last
``/``). Lines that are markup (``<pTitle>``, ``</Date>``) are skipped.

One record per sentence (id ``FILE:N``), its words in ``tokens`` as ``[[start, end], …]``
like :mod:`.conllu`. ``plain=True`` joins every word with one space (what
``vnpipe evaluate segment`` scores on); by default punctuation is attached.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ._tokens import detokenize
from .base import CorpusRecord, ImportStats, input_files

SUFFIXES = (".pos", ".seg", ".txt")
_MARKUP = re.compile(r"^\s*</?[A-Za-z][^>]*>\s*$")


def read(path: Path, stats: ImportStats | None = None, plain: bool = False) -> Iterator[CorpusRecord]:
    stats = stats if stats is not None else ImportStats()
    for file in input_files(path, SUFFIXES, "VLSP 2013"):
        number = 0
        for line in file.read_text(encoding="utf-8").splitlines():
            if not line.strip() or _MARKUP.match(line):
                continue
            words = [_word(item, file.suffix == ".pos") for item in line.split()]
            text, offsets = detokenize(words, plain=plain)
            yield {"id": f"{file.name}:{number}", "text": text, "spans": [],
                   "tokens": [list(pair) for pair in offsets], "meta": {}}
            number += 1


def _word(item: str, tagged: bool) -> str:
    if tagged and "/" in item:
        item = item.rsplit("/", 1)[0] or item
    return " ".join(s for s in item.split("_") if s) or item
