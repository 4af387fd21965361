"""CoNLL-2003 style column files: one token a line, the NER tag in a column, blank lines
between sentences, ``-DOCSTART-`` lines between documents.

Tags may be IOB1, IOB2 (BIO), BIOES or BILOU (see :func:`._tokens.tag_spans`). The token
is the first column and the tag the last unless told otherwise. A file with
``-DOCSTART-`` lines gives one record per document (its sentences joined by ``\\n``);
a file without them gives one record per sentence, with id ``FILE:N``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import GoldFormatError
from ._tokens import detokenize, tag_spans
from .base import CorpusRecord, ImportStats, input_files, record

SUFFIXES = (".conll", ".txt", ".iob", ".bio", ".bioes", ".tsv")
DOCSTART = "-DOCSTART-"


@dataclass
class Columns:
    """Which columns hold the token and the tag, and how to turn a token into text."""

    token: int = 0
    tag: int = -1
    minimum: int = 2
    layout: str = "'token ... tag'"
    token_text: Callable[[str], str] = str


Sentence = list[tuple[str, str]]  # (token text, tag)


def read(path: Path, stats: ImportStats | None = None, columns: Columns | None = None,
         plain: bool = False) -> Iterator[CorpusRecord]:
    """Records from a column file or a folder of them (see the module doc)."""
    columns = columns or Columns()
    stats = stats if stats is not None else ImportStats()
    for file in input_files(path, SUFFIXES, "CoNLL"):
        for doc_id, sentences in documents(file, columns):
            yield sentences_record(doc_id, sentences, stats, plain)


def documents(file: Path, columns: Columns) -> Iterator[tuple[str, list[Sentence]]]:
    """(id, sentences) per document: ``-DOCSTART-`` groups when the file has them, else sentences."""
    grouped = False
    document: list[Sentence] = []
    sentence: Sentence = []
    number = 0
    for line_number, line in enumerate([*file.read_text(encoding="utf-8-sig").splitlines(), ""], 1):
        fields = line.split("\t") if "\t" in line else line.split()
        fields = [f.strip() for f in fields]
        if fields and fields[0] == DOCSTART:
            grouped = True
            if sentence:
                document.append(sentence)
            if document:
                yield f"{file.name}:{number}", document
                number += 1
            document, sentence = [], []
            continue
        if any(fields):
            if len(fields) < columns.minimum:
                raise GoldFormatError(f"{file}:{line_number}: expected {columns.layout}, got {line!r}")
            sentence.append((columns.token_text(fields[columns.token]), fields[columns.tag]))
            continue
        if sentence:
            document.append(sentence)
            sentence = []
            if not grouped:
                yield f"{file.name}:{number}", document
                number += 1
                document = []
    if document:
        yield f"{file.name}:{number}", document


def sentences_record(doc_id: str, sentences: list[Sentence], stats: ImportStats, plain: bool = False) -> CorpusRecord:
    """One record: each sentence detokenized, sentences joined by newlines, spans from the tags."""
    texts, spans, offset = [], [], 0
    for sentence in sentences:
        text, positions = detokenize([token for token, _ in sentence], plain=plain)
        for first, end, label in tag_spans([tag for _, tag in sentence], stats):
            spans.append((offset + positions[first][0], offset + positions[end - 1][1], label))
        texts.append(text)
        offset += len(text) + 1
    return record(doc_id, "\n".join(texts), spans)
