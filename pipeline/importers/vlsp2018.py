"""VLSP 2018 NER: raw text with inline ``<ENAMEX TYPE="PERSON">…</ENAMEX>`` tags, nested up to
three deep. One ``.muc`` file is one record (id: the path below the folder given, or the
file name).

The outermost tag is the entity (``spans``); tags inside it go to ``meta.nested`` with
their offsets and a ``depth`` (2 = directly inside an entity). Labels stay as VLSP wrote
them: PERSON, LOCATION, ORGANIZATION, MISCELLANEOUS.

Quirks of the real files, counted in :class:`ImportStats.quirks`:

- a byte-order mark at the start of 11 files (dropped);
- a closing tag glued to the next word (``An</ENAMEX>có``, 6 times): a space is put
  after an outermost entity, so the text reads ``An có`` (not inside an entity, where
  a tag sometimes cuts a word: ``tỉnh Gia La</ENAMEX>i``);
- whitespace (a no-break space) inside the tag at an entity's edge: the span is trimmed.

``repair=False`` keeps the text byte for byte as the file has it without its tags (what
``vnpipe evaluate ner`` scores on). Unbalanced tags raise :class:`GoldFormatError`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..errors import GoldFormatError
from .base import CorpusRecord, ImportStats, input_files, record

SUFFIXES = (".muc",)
_TAG = re.compile(r'<ENAMEX\s+TYPE\s*=\s*"([^"]+)"\s*>|</ENAMEX\s*>')
_WHITESPACE = re.compile(r"\s+")


def read(path: Path, stats: ImportStats | None = None, repair: bool = True) -> Iterator[CorpusRecord]:
    stats = stats if stats is not None else ImportStats()
    for file in input_files(path, SUFFIXES, "VLSP 2018"):
        doc_id = str(file.relative_to(path)) if path.is_dir() else file.name
        yield parse(file.read_text(encoding="utf-8"), doc_id, stats, repair)


def parse(raw: str, doc_id: str, stats: ImportStats | None = None, repair: bool = True) -> CorpusRecord:
    """One record from the text of one ``.muc`` file."""
    stats = stats if stats is not None else ImportStats()
    if repair and raw.startswith("\ufeff"):
        raw = raw[1:]
        stats.quirk("byte-order mark at the start of the file (dropped)")
    parts: list[str] = []
    position = last = 0
    stack: list[tuple[int, str, int]] = []  # text position, label, raw position after the tag
    found: list[tuple[int, int, str, int, str]] = []  # start, end, label, depth, text between the tags
    for match in _TAG.finditer(raw):
        chunk = raw[last : match.start()]
        parts.append(chunk)
        position += len(chunk)
        last = match.end()
        if match.group(1):
            stack.append((position, match.group(1), match.end()))
            continue
        if not stack:
            raise GoldFormatError(f"{doc_id}: </ENAMEX> without an opening tag at character {match.start()}")
        start, label, raw_start = stack.pop()
        found.append((start, position, label, len(stack) + 1, _TAG.sub("", raw[raw_start : match.start()])))
        if repair and not stack and raw[last : last + 1].isalnum():
            parts.append(" ")
            position += 1
            stats.quirk("closing tag glued to the next word (space added)")
    if stack:
        raise GoldFormatError(f"{doc_id}: {len(stack)} <ENAMEX> tag(s) never closed",
                              hint="Every <ENAMEX TYPE=...> needs its </ENAMEX>")
    parts.append(raw[last:])
    text = "".join(parts)
    spans, nested = [], []
    for start, end, label, depth, inner in found:
        trimmed = _trim(text, start, end)
        if trimmed is None:
            stats.lose(f"empty <ENAMEX TYPE={label}> (depth {depth})")
            continue
        if _normal(text[trimmed[0] : trimmed[1]]) != _normal(inner):  # a bug here, never the file's fault
            stats.lose(f"{label} at depth {depth}: span text differs from the tag's content")
            continue
        if trimmed != (start, end):
            stats.quirk("whitespace inside a tag at an entity's edge (trimmed)")
        if depth == 1:
            spans.append((*trimmed, label))
        else:
            nested.append({"start": trimmed[0], "end": trimmed[1], "label": label, "depth": depth})
    meta = {"nested": sorted(nested, key=lambda s: (s["start"], s["depth"]))} if nested else {}
    return record(doc_id, text, spans, meta)


def _normal(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def tag_contents(raw: str) -> list[tuple[str, str]]:
    """(label, whitespace-normalised text) of every outermost ENAMEX, read straight from
    the tags (used to check that an import lost nothing)."""
    out, depth, start, label = [], 0, 0, ""
    for match in _TAG.finditer(raw):
        if match.group(1):
            if depth == 0:
                start, label = match.end(), match.group(1)
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                inner = _TAG.sub("", raw[start : match.start()])
                out.append((label, _normal(inner)))
    return out
