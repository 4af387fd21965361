"""CoNLL-U (Universal Dependencies), for word segmentation: one record per sentence.

The text is the ``# text =`` comment when the sentence has one and its words can be
found in it in order; otherwise the FORMs joined by a space (none after a word whose
MISC says ``SpaceAfter=No``). A Vietnamese FORM may hold spaces (``bắt chuyện``).

The words go to the record's ``tokens`` as ``[[start, end], …]`` (character offsets
into ``text``), not to ``spans``: they are a segmentation, not entities. The words are
the syntactic words: multi-word token lines (``1-2``, none in Vietnamese treebanks) and
empty nodes (``1.1``) are skipped. Id: ``# sent_id`` when present, else ``FILE:N``.

``plain=True`` ignores ``# text`` and ``SpaceAfter`` and joins the words (their syllables
too) with single spaces: the text ``vnpipe evaluate segment`` has always scored on.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..errors import GoldFormatError
from .base import CorpusRecord, ImportStats, input_files

SUFFIXES = (".conllu",)
_COMMENT = re.compile(r"#\s*([\w-]+)\s*=\s?(.*)")


def read(path: Path, stats: ImportStats | None = None, plain: bool = False) -> Iterator[CorpusRecord]:
    stats = stats if stats is not None else ImportStats()
    for file in input_files(path, SUFFIXES, "CoNLL-U"):
        for number, (comments, words) in enumerate(_sentences(file)):
            doc_id = comments.get("sent_id") or f"{file.name}:{number}"
            if plain:
                comments.pop("text", None)
                words = [(" ".join(form.split()), True) for form, _ in words]
            yield _record(doc_id, comments, words, stats)


def _sentences(file: Path) -> Iterator[tuple[dict[str, str], list[tuple[str, bool]]]]:
    """(comments, [(form, space after)]) per sentence."""
    comments: dict[str, str] = {}
    words: list[tuple[str, bool]] = []
    for number, line in enumerate([*file.read_text(encoding="utf-8-sig").splitlines(), ""], 1):
        if not line.strip():
            if words:
                yield comments, words
            comments, words = {}, []
            continue
        if line.startswith("#"):
            if match := _COMMENT.match(line):
                comments[match.group(1)] = match.group(2).strip()
            continue
        columns = line.split("\t")
        if len(columns) != 10:
            raise GoldFormatError(f"{file}:{number}: expected 10 tab-separated columns, found {len(columns)}")
        if "." in columns[0] or "-" in columns[0]:
            continue
        words.append((columns[1], "SpaceAfter=No" not in columns[9].split("|")))


def _record(doc_id: str, comments: dict[str, str], words: list[tuple[str, bool]], stats: ImportStats) -> CorpusRecord:
    text = comments.get("text")
    offsets = _find_in(text, [form for form, _ in words]) if text else None
    if text and offsets is None:
        stats.quirk("# text does not contain the words in order (text rebuilt from FORMs)")
    if offsets is None:
        text, offsets, position, parts = "", [], 0, []
        for form, space_after in words:
            offsets.append([position, position + len(form)])
            parts.append(form + (" " if space_after else ""))
            position += len(parts[-1])
        text = "".join(parts).rstrip(" ")
    meta = {key: value for key, value in comments.items() if key not in ("text", "sent_id")}
    return {"id": doc_id, "text": text, "spans": [], "tokens": offsets, "meta": meta}


def _find_in(text: str, forms: list[str]) -> list[list[int]] | None:
    """Offsets of each form in ``text``, in order, allowing only whitespace between them."""
    offsets, position = [], 0
    for form in forms:
        while position < len(text) and text[position].isspace():
            position += 1
        if not text.startswith(form, position):
            return None
        offsets.append([position, position + len(form)])
        position += len(form)
    return offsets if not text[position:].strip() else None
