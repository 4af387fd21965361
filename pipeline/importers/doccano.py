"""doccano JSONL exports: one ``{"text": …}`` object a line, with the spans in one of
the three shapes doccano has written over its versions:

- ``"label": [[start, end, "PER"], …]`` (sequence labeling, older exports);
- ``"labels": [[start, end, "PER"], …]`` (a few versions);
- ``"entities": [{"start_offset", "end_offset", "label"}, …]`` (relation-project exports).

A ``label`` that is a list of strings is a text-classification export: it goes to
``meta.categories``. Id: the object's ``id``, else ``FILE:LINE``. Other fields go to ``meta``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from ..errors import GoldFormatError
from ._spans import checked_span
from .base import CorpusRecord, ImportStats, input_files, record
from .prodigy import json_lines

SUFFIXES = (".jsonl", ".json")
_SPAN_KEYS = ("label", "labels", "entities")
_NOT_META = {"id", "text", "data", *_SPAN_KEYS, "relations"}


def read(path: Path, stats: ImportStats | None = None) -> Iterator[CorpusRecord]:
    stats = stats if stats is not None else ImportStats()
    for file in input_files(path, SUFFIXES, "doccano"):
        for number, item in json_lines(file):
            text = item.get("text", item.get("data"))
            if not isinstance(text, str):
                raise GoldFormatError(f"{file}:{number}: no 'text' field", hint="Is this a doccano JSONL export?")
            spans, categories = _spans(item, text, stats)
            meta = {key: value for key, value in item.items() if key not in _NOT_META}
            if categories:
                meta["categories"] = categories
            yield record(str(item.get("id", f"{file.name}:{number}")), text, spans, meta)


def _spans(item: dict[str, Any], text: str, stats: ImportStats) -> tuple[list[tuple[int, int, str]], list[str]]:
    spans, categories = [], []
    for key in _SPAN_KEYS:
        for entry in item.get(key) or []:
            if isinstance(entry, str):
                categories.append(entry)
                continue
            if isinstance(entry, dict):
                start, end, label = entry.get("start_offset"), entry.get("end_offset"), entry.get("label")
            elif isinstance(entry, list) and len(entry) == 3:
                start, end, label = entry
            else:
                stats.lose(f"{key} entry of unknown shape: {str(entry)[:40]}")
                continue
            if span := checked_span(text, start, end, label, stats):
                spans.append(span)
    return spans, categories
