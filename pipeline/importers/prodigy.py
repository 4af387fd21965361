"""Prodigy JSONL (``db-out`` or a ``ner.manual`` dataset): ``{"text", "spans": [{"start",
"end", "label"}], "answer", "meta"}`` a line.

When an example has an ``answer``, only ``accept`` is imported (``reject`` and ``ignore``
are counted as skipped documents). Id: ``meta.id`` or ``id``, else ``_input_hash``, else
``FILE:LINE``; the example's ``meta`` is kept.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import orjson

from ..errors import GoldFormatError
from ._spans import checked_span
from .base import CorpusRecord, ImportStats, input_files, record

SUFFIXES = (".jsonl",)


def read(path: Path, stats: ImportStats | None = None) -> Iterator[CorpusRecord]:
    stats = stats if stats is not None else ImportStats()
    for file in input_files(path, SUFFIXES, "Prodigy"):
        for number, item in json_lines(file):
            if not isinstance(item.get("text"), str):
                raise GoldFormatError(f"{file}:{number}: no 'text' field", hint="Is this Prodigy JSONL?")
            answer = item.get("answer", "accept")
            if answer != "accept":
                stats.skip(f"answer is {answer!r}")
                continue
            text = item["text"]
            spans = [span for s in item.get("spans") or []
                     if (span := checked_span(text, s.get("start"), s.get("end"), s.get("label"), stats))]
            meta = dict(item.get("meta") or {})
            doc_id = meta.get("id", item.get("id", item.get("_input_hash", f"{file.name}:{number}")))
            yield record(str(doc_id), text, spans, meta)


def json_lines(file: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSONL file."""
    with open(file, "rb") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                raise GoldFormatError(f"{file}:{number}: not JSON ({error})") from None
            if not isinstance(item, dict):
                raise GoldFormatError(f"{file}:{number}: expected a JSON object a line")
            yield number, item
