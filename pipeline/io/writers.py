"""Write JSONL output safely: atomically, resumably, never truncated mid-line.

A run writes to ``OUTPUT.partial`` and renames it to ``OUTPUT`` when it ends.
A run that is killed leaves the ``.partial`` file; ``--resume`` repairs its last
line (a line cut by the kill is dropped), reads the ids already done, and goes
on appending. ``-`` writes to stdout directly.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import BinaryIO, Iterator

import orjson

from ..errors import UsageError

STDOUT = "-"
PARTIAL_SUFFIX = ".partial"
_LEADING_ID = re.compile(rb'^\{"id":("(?:[^"\\]|\\.)*")')


def _repair_tail(path: Path) -> None:
    """Cut a last line that a killed run left without its newline."""
    with open(path, "rb+") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            return
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        block = 1 << 16
        pos = size
        while pos > 0:
            start = max(0, pos - block)
            f.seek(start)
            chunk = f.read(pos - start)
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                f.truncate(start + cut + 1)
                return
            pos = start
        f.truncate(0)


def read_ids(path: Path) -> Iterator[str]:
    """Ids of the records in a JSONL file (vnpipe writes ``id`` first, so most lines need no full parse)."""
    with open(path, "rb") as f:
        for line in f:
            match = _LEADING_ID.match(line)
            if match:
                yield orjson.loads(match.group(1))
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(record, dict) and "id" in record:
                yield str(record["id"])


class JsonlWriter:
    """``with JsonlWriter(path, resume) as out: out.write(line)``; ``out.done_ids`` lists resumed ids."""

    def __init__(self, path: str, resume: bool = False, atomic: bool = True):
        self.path = path
        self.resume = resume
        self.atomic = atomic and path != STDOUT
        self.done_ids: set[str] = set()
        self.succeeded = False
        self._stream: BinaryIO | None = None

    @property
    def target(self) -> Path:
        """Where lines are being written now."""
        return Path(self.path + PARTIAL_SUFFIX) if self.atomic else Path(self.path)

    def open(self) -> "JsonlWriter":
        if self.path == STDOUT:
            if self.resume:
                raise UsageError("--resume needs an output file, not stdout", hint="Pass --output FILE")
            self._stream = sys.stdout.buffer
            return self
        final, target = Path(self.path), self.target
        if final.parent and not final.parent.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
        if self.resume:
            if self.atomic and not target.exists() and final.exists():
                os.replace(final, target)
            if target.exists():
                _repair_tail(target)
                self.done_ids = set(read_ids(target))
            self._stream = open(target, "ab")
        else:
            self._stream = open(target, "wb")
        return self

    def write(self, line: bytes) -> None:
        assert self._stream is not None, "JsonlWriter used before open()"
        self._stream.write(line)

    def flush(self) -> None:
        if self._stream is not None:
            self._stream.flush()

    def close(self) -> None:
        """Finish: on success the ``.partial`` file becomes the output.

        Otherwise (Ctrl-C, an error, a full disk) the ``.partial`` file is kept and cut
        back to its last whole line, so it is valid JSONL and ``--resume`` can go on.
        """
        stream, self._stream = self._stream, None
        if stream is None:
            return
        if self.path == STDOUT:
            stream.flush()
            return
        finished = False
        try:
            stream.flush()
            os.fsync(stream.fileno())
            finished = self.succeeded
        finally:
            _close_quietly(stream)
            if not finished:
                _repair_tail(self.target)
            elif self.atomic:
                os.replace(self.target, self.path)

    def __enter__(self) -> "JsonlWriter":
        return self.open()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()


class ErrorLog:
    """The errors file: one JSON object per failed document, opened only when needed."""

    def __init__(self, path: str | None, resume: bool = False):
        self.path = Path(path) if path else None
        self.resume = resume
        self.done_ids: set[str] = set()
        self.count = 0
        self._stream: BinaryIO | None = None
        if self.path and self.path.exists():
            if resume:
                _repair_tail(self.path)
                self.done_ids = set(read_ids(self.path))
            else:
                self.path.unlink()  # a stale errors file from an earlier run would mislead

    def write(self, record: dict) -> None:
        self.count += 1
        line = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        if self.path is None:
            sys.stderr.write("error: " + line.decode("utf-8"))
            return
        if self._stream is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = open(self.path, "ab")
        self._stream.write(line)
        self._stream.flush()

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            _close_quietly(stream)
            _repair_tail(self.path)  # a write cut by a full disk leaves half a line


def _close_quietly(stream: BinaryIO) -> None:
    """Close even when the last flush fails (disk full): the caller cuts the file back to whole lines."""
    try:
        stream.close()
    except OSError:
        pass
