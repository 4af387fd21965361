"""VLSP 2016 NER: columns ``word POS chunk NER subtype``, tab-separated.

A word's syllables are joined by ``_`` (``Hà_Nội``); the importer writes them with
spaces. NER tags are BIO (PER, LOC, ORG, MISC); an ``I-`` without its ``B-`` starts an
entity (two of those in the test file). The fifth column (``locProvince``, ``None``, …)
is a subtype the shared task did not score; it is not imported.

The files have no document boundaries (no ``-DOCSTART-``), so every sentence is one
record, with id ``FILE:N`` (N counts sentences from 0). Splitting these records again by
id mixes sentences of one article across splits: use the VLSP files' own split.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from . import conll
from .base import CorpusRecord, ImportStats, input_files

SUFFIXES = (".txt", ".conll")
COLUMNS = conll.Columns(token=0, tag=3, minimum=4, layout="'word POS chunk NER'",
                        token_text=lambda word: word.replace("_", " "))


def read(path: Path, stats: ImportStats | None = None, plain: bool = False) -> Iterator[CorpusRecord]:
    """Records from a VLSP 2016 file or a folder of them. ``plain=True`` joins every word with
    one space, as ``vnpipe evaluate ner`` always did; by default punctuation is attached."""
    stats = stats if stats is not None else ImportStats()
    for file in input_files(path, SUFFIXES, "VLSP 2016"):
        for doc_id, sentences in conll.documents(file, COLUMNS):
            yield conll.sentences_record(doc_id, sentences, stats, plain)
