"""Importers: annotated corpora in other tools' formats → the project's corpus records.

Each module reads one format with ``read(path, stats) -> Iterator[CorpusRecord]`` and
counts what it kept, repaired and lost in an :class:`ImportStats`. :func:`import_corpus`
picks the reader by name, renames labels and checks ids.

>>> parse_label_map("PERSON=PER, LOCATION=LOC, MISCELLANEOUS=")
{'PERSON': 'PER', 'LOCATION': 'LOC', 'MISCELLANEOUS': ''}
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import LabelMapError, UnknownFormat, UsageError
from . import conll, conllu, doccano, labelstudio, prodigy, vlsp2013, vlsp2016, vlsp2018
from .base import CorpusRecord, ImportStats

Reader = Callable[..., Iterator[CorpusRecord]]

READERS: dict[str, Reader] = {
    "vlsp2016": vlsp2016.read,
    "vlsp2018": vlsp2018.read,
    "conll": conll.read,
    "conllu": conllu.read,
    "vlsp2013": vlsp2013.read,
    "doccano": doccano.read,
    "labelstudio": labelstudio.read,
    "prodigy": prodigy.read,
}
ALIASES = {"conll2003": "conll", "iob": "conll", "iob2": "conll", "bio": "conll", "bioes": "conll",
           "label-studio": "labelstudio"}
FORMATS = tuple(READERS)

__all__ = ["FORMATS", "ImportStats", "CorpusRecord", "import_corpus", "parse_label_map", "reader_for"]


def reader_for(fmt: str) -> Reader:
    name = ALIASES.get(fmt.lower(), fmt.lower())
    if name not in READERS:
        raise UnknownFormat(f"Unknown corpus format {fmt!r}",
                            hint=f"Known formats: {', '.join(FORMATS)} (also {', '.join(ALIASES)})")
    return READERS[name]


def parse_label_map(spec: str | None) -> dict[str, str]:
    """``FROM=TO,FROM=TO`` → dict; ``FROM=`` (nothing after ``=``) drops that label."""
    mapping: dict[str, str] = {}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        source, equals, target = (part.strip() for part in item.partition("="))
        if not equals or not source:
            raise LabelMapError(f"Bad --label-map entry {item.strip()!r}",
                                hint="Write FROM=TO pairs separated by commas: PERSON=PER,LOCATION=LOC (FROM= drops)")
        mapping[source] = target
    return mapping


def import_corpus(fmt: str, paths: Iterable[Path], stats: ImportStats | None = None,
                  label_map: dict[str, str] | None = None, tag_column: int | None = None,
                  token_column: int | None = None) -> Iterator[CorpusRecord]:
    """Records from every path in format ``fmt``, labels renamed by ``label_map``; ``stats``
    counts the documents and entities written (after renaming) and what was lost. A bad
    format or option raises here, before anything is read."""
    reader = reader_for(fmt)
    stats = stats if stats is not None else ImportStats()
    options: dict[str, Any] = {}
    if tag_column is not None or token_column is not None:
        if reader is not conll.read:
            raise UsageError("--tag-column and --token-column apply to the conll format only")
        token, tag = token_column or 0, -1 if tag_column is None else tag_column
        options["columns"] = conll.Columns(token=token, tag=tag, minimum=max(2, token + 1, tag + 1))
    return _records(reader, options, paths, stats, label_map)


def _records(reader: Reader, options: dict[str, Any], paths: Iterable[Path], stats: ImportStats,
             label_map: dict[str, str] | None) -> Iterator[CorpusRecord]:
    seen: dict[str, int] = {}
    sources: set[str] = set()
    for path in paths:
        for record in reader(Path(path), stats, **options):
            if label_map:
                sources.update(s["label"] for s in [*record["spans"], *record["meta"].get("nested", [])])
                _rename(record, label_map, stats)
            if record["id"] in seen:
                seen[record["id"]] += 1
                record["id"] = f"{record['id']}#{seen[record['id']]}"
                stats.quirk("duplicate id (made unique with a #N suffix)")
            seen.setdefault(record["id"], 1)
            stats.count(record)
            yield record
    for unused in sorted(set(label_map or {}) - sources):  # most likely a typo
        stats.quirk(f"--label-map {unused}=… matched no label")


def _rename(record: CorpusRecord, label_map: dict[str, str], stats: ImportStats) -> None:
    """Rename span labels in place; a label mapped to "" is dropped (counted, not lost)."""
    for key, spans in (("spans", record["spans"]), ("nested", record.get("meta", {}).get("nested"))):
        if not spans:
            continue
        kept = []
        for span in spans:
            span["label"] = label_map.get(span["label"], span["label"])
            if span["label"]:
                kept.append(span)
            else:
                stats.quirk(f"{key} dropped by --label-map")
        if key == "spans":
            record["spans"] = kept
        else:
            record["meta"]["nested"] = kept


def write_jsonl(records: Iterable[CorpusRecord], output: str) -> int:
    """Records to a JSONL file (written atomically) or ``-`` (stdout); how many were written."""
    import orjson

    from ..io.writers import JsonlWriter

    written = 0
    with JsonlWriter(output) as out:
        for record in records:
            out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
            written += 1
        out.succeeded = True
    return written
