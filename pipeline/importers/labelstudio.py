"""Label Studio JSON export: a list of tasks ``{"id", "data": {"text": …}, "annotations": [{"result":
[{"type": "labels", "value": {"start", "end", "text", "labels": ["PER"]}}]}]}``.

Each task's first annotation that was not cancelled is imported (none: the task is
skipped and counted); a span whose ``text`` is not at its offsets is lost, not guessed.
``choices`` results (classification) go to ``meta.choices`` by their ``from_name``. The
text is ``data.text``, or the only string in ``data``. Some exports (DANeS) put the
results straight in ``annotations``; that shape is read too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import orjson

from ..errors import GoldFormatError
from ._spans import checked_span
from .base import CorpusRecord, ImportStats, input_files, record

SUFFIXES = (".json",)


def read(path: Path, stats: ImportStats | None = None) -> Iterator[CorpusRecord]:
    stats = stats if stats is not None else ImportStats()
    for file in input_files(path, SUFFIXES, "Label Studio"):
        try:
            tasks = orjson.loads(file.read_bytes())
        except orjson.JSONDecodeError as error:
            raise GoldFormatError(f"{file}: not JSON ({error})") from None
        if not isinstance(tasks, list):
            raise GoldFormatError(f"{file}: expected a list of tasks", hint="Export from Label Studio as JSON")
        for number, task in enumerate(tasks):
            converted = _task(task, f"{file.name}:{number}", stats)
            if converted is not None:
                yield converted


def _task(task: dict[str, Any], fallback_id: str, stats: ImportStats) -> CorpusRecord | None:
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        strings = [value for value in data.values() if isinstance(value, str)]
        if len(strings) != 1:
            raise GoldFormatError(f"task {task.get('id', fallback_id)}: no data.text", hint="Name the text field 'text'")
        text = strings[0]
    results = _results(task)
    if results is None:
        stats.skip("no annotation (or all cancelled)")
        return None
    spans, choices = [], {}
    for result in results:
        value = result.get("value") or {}
        if "choices" in value:
            choices[result.get("from_name", "choices")] = value["choices"]
        for label in value.get("labels") or []:
            if span := checked_span(text, value.get("start"), value.get("end"), label, stats, value.get("text")):
                spans.append(span)
    meta = {key: value for key, value in data.items() if key != "text" and value is not text}
    if choices:
        meta["choices"] = choices
    return record(str(task.get("id", fallback_id)), text, spans, meta)


def _results(task: dict[str, Any]) -> list[dict[str, Any]] | None:
    annotations = task.get("annotations") or task.get("completions") or []
    if annotations and all("value" in a for a in annotations):  # results listed directly
        return annotations
    for annotation in annotations:
        if not annotation.get("was_cancelled"):
            return annotation.get("result") or []
    return None
