"""Read input documents from files, folders, globs and stdin.

Every input becomes a stream of :class:`Record`. A record that cannot be read
(invalid UTF-8, a line that is not JSON, a missing text field) is still a
record, with ``error`` set, so the runner can write it to the errors file and
go on: one bad document never stops a batch, and none is silently dropped.

- ``.txt``: one document per file; id = the path.
- ``.jsonl`` / ``.ndjson``: one document per line; id = the ``--id-field`` value,
  else ``path:line``. Blank lines are not documents.
- any of these with ``.gz`` after it is decompressed on the fly.
- ``-``: stdin, JSONL when it starts with ``{``, else one text document.
"""
from __future__ import annotations

import glob
import gzip
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

import orjson

from ..document import Document
from ..errors import DocumentError, InputNotFound, UsageError

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
INPUT_FORMATS = ("auto", "txt", "jsonl")
STDIN = "-"
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Record:
    id: str
    source: str
    text: str | None = None
    document: dict[str, Any] | None = None  # an earlier vnpipe output to continue
    error: DocumentError | None = None
    warnings: list[str] = field(default_factory=list)
    date: str | None = None  # the publication date, when the input has one (it dates the places)

    def to_document(self) -> Document:
        if self.document is not None:
            doc = Document.from_dict(self.document)
            doc.id = self.id
        else:
            doc = Document(id=self.id, text=self.text or "")
        doc.meta.setdefault("source", self.source)
        if self.warnings:
            doc.meta.setdefault("warnings", []).extend(self.warnings)
        if self.date:
            doc.meta.setdefault("date", self.date)
        return doc


def _format_of(path: str) -> str:
    name = path[:-3] if path.endswith(".gz") else path
    return "jsonl" if name.endswith(JSONL_SUFFIXES) else "txt"


def _is_input_file(path: Path) -> bool:
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    return name.endswith(TEXT_SUFFIXES + JSONL_SUFFIXES)


def expand_inputs(specs: Iterable[str]) -> list[str]:
    """Files, folders (recursively: .txt, .jsonl, .ndjson, optionally .gz) and globs, in a stable order."""
    paths: list[str] = []
    for spec in specs:
        if spec == STDIN:
            paths.append(STDIN)
            continue
        path = Path(spec)
        if path.is_file():
            paths.append(spec)
        elif path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.is_file() and _is_input_file(p))
            if not found:
                raise InputNotFound(
                    f"No .txt/.jsonl/.ndjson files (or .gz) under {spec}",
                    hint="Point vnpipe at the files directly, or rename them with one of those suffixes",
                )
            paths.extend(found)
        else:
            matches = sorted(p for p in glob.glob(spec, recursive=True) if Path(p).is_file())
            if not matches:
                raise InputNotFound(f"Input not found: {spec}", hint="Check the path; quote globs like 'data/**/*.txt'")
            paths.extend(matches)
    return paths


def _open(path: str) -> BinaryIO:
    if path.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def decode(data: bytes, where: str, offset: int = 0) -> str:
    """Strict UTF-8: invalid bytes are reported with their byte offset, never replaced."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DocumentError(
            f"invalid UTF-8 at byte {offset + err.start} of {where}: {data[err.start:err.start + 4]!r}",
            stage="decode",
            hint="Convert the file to UTF-8 (e.g. iconv -f WINDOWS-1258 -t UTF-8)",
        ) from None


def _read_text(path: str, stream: BinaryIO) -> Record:
    data = stream.read()
    nul = data.find(b"\0")
    if nul >= 0:
        error = DocumentError(f"binary data (NUL byte at byte {nul}) in {path}", stage="decode")
        return Record(id=path, source=path, error=error)
    try:
        return Record(id=path, source=path, text=decode(data, path))
    except DocumentError as error:
        return Record(id=path, source=path, error=error)


def _parse_json(line: str) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)  # also accepts lone surrogates escaped as \ud800, which orjson rejects


def _jsonl_record(
    path: str, number: int, raw: bytes, offset: int, text_field: str, id_field: str, date_field: str = "date"
) -> Record:
    fallback_id = f"{path}:{number}"
    try:
        line = decode(raw, f"{path} line {number}", offset)
        try:
            obj = _parse_json(line)
        except ValueError as err:
            raise DocumentError(f"line {number} is not JSON: {err}", stage="json") from None
        if not isinstance(obj, dict):
            raise DocumentError(f"line {number} is a JSON {type(obj).__name__}, not an object", stage="json")
        record_id = str(obj[id_field]) if obj.get(id_field) is not None else fallback_id
        text = obj.get(text_field)
        if not isinstance(text, str):
            what = "has no" if text is None else "has a non-string"
            raise DocumentError(
                f"line {number} {what} {text_field!r} field",
                stage="json",
                hint="Name the field holding the text with --text-field",
            )
    except DocumentError as error:
        return Record(id=fallback_id, source=fallback_id, error=error)
    warnings = []
    if _SURROGATE.search(text):
        # Lone surrogates cannot be written as UTF-8; one-for-one replacement keeps offsets.
        count = len(_SURROGATE.findall(text))
        text = _SURROGATE.sub("\ufffd", text)
        warnings.append(f"replaced {count} lone surrogate(s) with U+FFFD")
    if Document.is_annotated(obj):
        obj = dict(obj, text=text)
        return Record(id=record_id, source=fallback_id, document=obj, warnings=warnings)
    date = obj.get(date_field)
    return Record(id=record_id, source=fallback_id, text=text, warnings=warnings,
                  date=str(date) if isinstance(date, (str, int)) and date != "" else None)


def _read_jsonl(path: str, stream: BinaryIO, text_field: str, id_field: str, date_field: str) -> Iterator[Record]:
    offset = 0
    for number, raw in enumerate(stream, 1):
        line_offset, offset = offset, offset + len(raw)
        content = raw.rstrip(b"\r\n")
        if not content.strip():
            continue
        yield _jsonl_record(path, number, content, line_offset, text_field, id_field, date_field)


def _sniff_stdin() -> tuple[BinaryIO, str]:
    stream = sys.stdin.buffer
    if isinstance(stream, io.BufferedReader):
        head = stream.peek(4096)
    else:
        data = stream.read()
        stream, head = io.BytesIO(data), data
    return stream, ("jsonl" if head.lstrip().startswith(b"{") else "txt")


def read_records(
    specs: Iterable[str],
    text_field: str = "text",
    id_field: str = "id",
    input_format: str = "auto",
    date_field: str = "date",
) -> Iterator[Record]:
    """Stream records from every input, in order. A JSONL field ``date_field`` (the publication
    date) goes to ``meta.date``: the places stage dates its administrative units by it."""
    if input_format not in INPUT_FORMATS:
        raise UsageError(f"Unknown input format {input_format!r}", hint=f"Use one of: {', '.join(INPUT_FORMATS)}")
    for path in expand_inputs(specs):
        try:
            if path == STDIN:
                stream, sniffed = _sniff_stdin()
                fmt = sniffed if input_format == "auto" else input_format
            else:
                stream = _open(path)
                fmt = _format_of(path) if input_format == "auto" else input_format
        except OSError as err:
            yield Record(id=path, source=path, error=DocumentError(f"cannot open {path}: {err.strerror}", "read"))
            continue
        name = "<stdin>" if path == STDIN else path
        try:
            if fmt == "jsonl":
                yield from _read_jsonl(name, stream, text_field, id_field, date_field)
            else:
                yield _read_text(name, stream)
        except (OSError, EOFError) as err:  # truncated .gz, I/O errors mid-file
            yield Record(id=name, source=name, error=DocumentError(f"cannot read {name}: {err}", "read"))
        finally:
            if path != STDIN:
                stream.close()


def read_annotated(paths: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Annotated records from vnpipe output files (JSONL, ``-`` for stdin), streamed."""
    for path in paths:
        try:
            stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
        except OSError as error:
            raise InputNotFound(f"Cannot read {path}: {error.strerror}", hint="Name files written by `vnpipe run`") from None
        try:
            for number, line in enumerate(stream, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as error:
                        raise UsageError(f"{path} line {number} is not JSON: {error}",
                                         hint="This reads the output of `vnpipe run`") from None
        finally:
            if stream is not sys.stdin:
                stream.close()
