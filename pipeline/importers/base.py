"""What every importer shares: the record type, the counts it reports, input discovery."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputNotFound

# The project's corpus record (see pipeline/corpus.py): {"id","text","spans":[{"start","end","label"}],"meta"}
CorpusRecord = dict[str, Any]


@dataclass
class ImportStats:
    """What an import read, kept and lost. ``lost`` entities were in the source but are not
    in the output (with the reason); ``quirks`` are oddities repaired or tolerated."""

    documents: int = 0
    skipped_documents: Counter = field(default_factory=Counter)
    entities: Counter = field(default_factory=Counter)
    nested: Counter = field(default_factory=Counter)
    tokens: int = 0
    lost: Counter = field(default_factory=Counter)
    quirks: Counter = field(default_factory=Counter)

    def lose(self, reason: str, count: int = 1) -> None:
        self.lost[reason] += count

    def quirk(self, what: str, count: int = 1) -> None:
        self.quirks[what] += count

    def skip(self, reason: str) -> None:
        self.skipped_documents[reason] += 1

    @property
    def lost_total(self) -> int:
        return sum(self.lost.values())

    def count(self, record: CorpusRecord) -> None:
        """Add one output record to the counts."""
        self.documents += 1
        self.entities.update(span["label"] for span in record["spans"])
        self.nested.update(span["label"] for span in record.get("meta", {}).get("nested", []))
        self.tokens += len(record["tokens"]) if "tokens" in record else len(record["text"].split())

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "tokens": self.tokens,
            "entities": dict(sorted(self.entities.items())),
            "entities_total": sum(self.entities.values()),
            "nested": dict(sorted(self.nested.items())),
            "lost": dict(self.lost),
            "lost_total": self.lost_total,
            "quirks": dict(self.quirks),
            "skipped_documents": dict(self.skipped_documents),
        }


def input_files(path: Path, suffixes: Iterable[str], what: str) -> list[Path]:
    """``path`` itself when it is a file, else every file under it with one of ``suffixes``, sorted."""
    suffixes = tuple(suffixes)
    if not path.exists():
        raise InputNotFound(f"{what.capitalize()} path not found: {path}")
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in suffixes)
    if not files:
        raise InputNotFound(f"No {what} files ({', '.join(suffixes)}) under {path}")
    return files


def record(doc_id: str, text: str, spans: Iterable[tuple[int, int, str]], meta: dict[str, Any] | None = None,
           **extra: Any) -> CorpusRecord:
    """A corpus record with spans sorted by position."""
    spans = [{"start": s, "end": e, "label": label} for s, e, label in sorted(spans)]
    return {"id": doc_id, "text": text, "spans": spans, **extra, "meta": meta or {}}
