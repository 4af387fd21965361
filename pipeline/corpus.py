"""The project's annotated corpus: inline sources, Prodigy-style JSONL, validation.

Sources (``corpus/ner/src/*.txt``) are what people write and edit: documents
separated by blank lines, entities inline as ``[[text|LABEL]]``, ``#:`` meta
lines, ``#`` comments. :func:`build` turns them into
``{"id","text","spans":[{"start","end","label"}],"meta"}`` records split into
train/dev/test by a stable hash of the id; :func:`validate` checks the records
against the mechanical rules of ``docs/annotation.md``.

>>> doc = parse_source("#: region=Đắk_Nông\\nĐồng chí [[K’Thanh|PERSON]] - [[TUV|POSITION]].", "demo")[0]
>>> doc["text"], [(doc["text"][s["start"]:s["end"]], s["label"]) for s in doc["spans"]], doc["meta"]
('Đồng chí K’Thanh - TUV.', [('K’Thanh', 'PERSON'), ('TUV', 'POSITION')], {'region': 'Đắk Nông', 'source': 'demo'})
"""
from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import orjson

from .config import configs_dir
from .errors import GoldFormatError, UsageError
from .tones import fold

_ENTITY = re.compile(r"\[\[([^\[\]|]+?)\|([A-Za-z_]+)((?:[#>@][A-Za-z0-9_,?-]+)*)\]\]")
_MARKER = re.compile(r"([#>@])([A-Za-z0-9_,?-]+)")
RELATIONS_PRAGMA = "#! relations"
_META = re.compile(r"(\w+)=(\S+)")
_EDGE_PUNCT = set(" \t\n,;:!?()[]{}\"“”‘’'«»-–—…")
SPLITS = ("train", "dev", "test")


def parse_source(text: str, source: str) -> list[dict[str, Any]]:
    """Documents from one inline-annotated source file."""
    documents, lines, meta = [], [], {}
    file_meta = {"relations": "yes"} if RELATIONS_PRAGMA in text.splitlines() else {}

    def flush() -> None:
        nonlocal lines, meta
        if lines:
            doc_id = f"{source}-{len(documents):04d}"
            documents.append(_document("\n".join(lines), dict(file_meta, **meta, source=source), doc_id))
        lines, meta = [], {}

    for number, raw in enumerate(text.splitlines(), 1):
        line = unicodedata.normalize("NFC", raw.rstrip())
        if not line.strip():
            flush()
        elif line.startswith("#:"):
            flush()
            meta.update({k: v.replace("_", " ") for k, v in _META.findall(line[2:])})
        elif line.startswith("#"):
            continue
        else:
            if "[[" in _ENTITY.sub("", line) or "]]" in _ENTITY.sub("", line):
                raise GoldFormatError(f"{source}:{number}: unbalanced [[ ]] in {line[:80]!r}")
            lines.append(line)
    flush()
    return documents


def _document(marked: str, meta: dict[str, str], doc_id: str) -> dict[str, Any]:
    """One record; ``[[X|PERSON#a]]`` names person ``a`` (mentions of one person share the id),
    ``[[P|POSITION>a]]`` says ``a`` holds P (``>a,b``: both do), and ``[[L|LOCATION@665]]`` links a
    place to the administrative unit with that code (``@-``: not a unit in the data, ``@?``: unclear)."""
    text_parts, spans, holders, pos, last = [], [], {}, 0, 0
    for match in _ENTITY.finditer(marked):
        before = marked[last : match.start()]
        text_parts.append(before)
        pos += len(before)
        surface = match.group(1)
        span = {"start": pos, "end": pos + len(surface), "label": match.group(2)}
        for kind, value in _MARKER.findall(match.group(3)):
            if kind == "#":
                span["ref"] = value
            elif kind == "@":
                span["admin"] = value
            else:
                holders[len(spans)] = value.split(",")
        spans.append(span)
        text_parts.append(surface)
        pos += len(surface)
        last = match.end()
    text_parts.append(marked[last:])
    record = {"id": doc_id, "text": "".join(text_parts), "spans": spans, "meta": meta}
    if meta.get("relations") == "yes" or holders:
        record["relations"] = _holds(spans, holders, doc_id)
    return record


def _holds(spans: list[dict[str, Any]], holders: dict[int, list[str]], doc_id: str) -> list[dict[str, Any]]:
    """HOLDS relations from ``>ref`` markers: each links the position to the nearest mention of the person."""
    relations = []
    for tail, refs in sorted(holders.items()):
        for ref in refs:
            mentions = [i for i, s in enumerate(spans) if s.get("ref") == ref]
            if not mentions:
                raise GoldFormatError(f"{doc_id}: POSITION {tail} is held by unknown person {ref!r}",
                                      hint="Mark the person as [[Name|PERSON#" + ref + "]]")
            head = min(mentions, key=lambda i: abs(spans[i]["start"] - spans[tail]["start"]))
            relations.append({"label": "HOLDS", "head": head, "tail": tail})
    return sorted(relations, key=lambda r: (r["head"], r["tail"]))


def split_of(doc_id: str, dev: float = 0.1, test: float = 0.1, seed: int = 0) -> str:
    """train, dev or test, stable for a given id (80/10/10 by default).

    The id's SHA-1 gives a number in [0, 1) whose first decimal digit is the hash's last
    digit, so the default fractions put exactly the ids they always did in each split.
    A non-zero ``seed`` is hashed with the id and gives another split.

    >>> [split_of(f"doc-{i}") for i in range(6)] == [split_of(f"doc-{i}", 0.1, 0.1, 0) for i in range(6)]
    True
    """
    if not (0 <= dev and 0 <= test and dev + test <= 1):
        raise UsageError(f"dev ({dev}) and test ({test}) fractions must be >= 0 and sum to at most 1")
    key = doc_id if seed == 0 else f"{seed}:{doc_id}"
    number = int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16)
    position = (number % 10 + (number // 10 % 10**9) / 10**9) / 10
    return "test" if position < test else "dev" if position < test + dev else "train"


def read_sources(src_dir: Path) -> list[dict[str, Any]]:
    files = sorted(src_dir.glob("*.txt"))
    if not files:
        raise GoldFormatError(f"No corpus sources (*.txt) in {src_dir}")
    return [doc for path in files for doc in parse_source(path.read_text(encoding="utf-8"), path.stem)]


def build(src_dir: Path, out_dir: Path) -> dict[str, int]:
    """Write train/dev/test JSONL from the sources; returns documents per split."""
    return write_splits(read_sources(src_dir), out_dir)


def write_splits(docs: Iterable[dict[str, Any]], out_dir: Path, dev: float = 0.1, test: float = 0.1,
                 seed: int = 0) -> dict[str, int]:
    """Records into ``out_dir/{train,dev,test}.jsonl`` by :func:`split_of` of their id; documents per split."""
    counts = dict.fromkeys(SPLITS, 0)
    out_dir.mkdir(parents=True, exist_ok=True)
    streams = {split: open(out_dir / f"{split}.jsonl", "wb") for split in SPLITS}
    try:
        for doc in docs:
            split = split_of(doc["id"], dev, test, seed)
            streams[split].write(orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE))
            counts[split] += 1
    finally:
        for stream in streams.values():
            stream.close()
    return counts


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield orjson.loads(line)
                except orjson.JSONDecodeError as err:
                    raise GoldFormatError(f"{path}:{number}: not JSON ({err})") from None


def read_any(path: Path) -> Iterator[dict[str, Any]]:
    """Records from a corpus JSONL file or an inline-annotated ``.txt`` source."""
    if path.suffix == ".txt":
        return iter(parse_source(path.read_text(encoding="utf-8"), path.stem))
    return read_jsonl(path)


def corpus_stats(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Documents, tokens (the record's ``tokens`` when it has them, else whitespace-separated
    syllables) and entities per label, with nested ones (``meta.nested``) counted apart."""
    documents = tokens = 0
    entities: Counter = Counter()
    nested: Counter = Counter()
    for record in records:
        documents += 1
        tokens += len(record["tokens"]) if "tokens" in record else len(record.get("text", "").split())
        entities.update(span.get("label") for span in record.get("spans", []))
        nested.update(span.get("label") for span in (record.get("meta") or {}).get("nested", []))
    return {"documents": documents, "tokens": tokens, "entities": dict(sorted(entities.items())),
            "entities_total": sum(entities.values()), "nested": dict(sorted(nested.items()))}


@dataclass(frozen=True)
class Rules:
    labels: frozenset[str]
    person_openers: tuple[str, ...]
    position_openers: tuple[str, ...]
    not_positions: frozenset[str]
    not_locations: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> "Rules":
        data = tomllib.loads((path or configs_dir() / "annotation_rules.toml").read_text(encoding="utf-8"))
        return cls(
            labels=frozenset(data["labels"]),
            person_openers=tuple(fold(w) for w in data["person"]["forbidden_openers"]),
            position_openers=tuple(fold(w) for w in data["position"]["forbidden_openers"]),
            not_positions=frozenset(fold(w) for w in data["position"]["not_positions"]),
            not_locations=frozenset(fold(w) for w in data["location"]["not_locations"]),
        )


def _opens_with(folded: str, openers: Iterable[str]) -> str | None:
    for opener in openers:
        if folded == opener or folded.startswith(opener + " ") or folded.startswith(opener + "."):
            return opener
    return None


def span_problems(text: str, span: dict[str, Any], rules: Rules) -> list[str]:
    start, end, label = span.get("start"), span.get("end"), span.get("label")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return [f"bad offsets ({start}, {end}) for text of length {len(text)}"]
    if label not in rules.labels:
        return [f"unknown label {label!r}"]
    surface = text[start:end]
    problems = []
    if surface[0] in _EDGE_PUNCT or surface[-1] in _EDGE_PUNCT or surface != surface.strip():
        problems.append(f"{label} {surface!r} has whitespace or punctuation at an edge")
    if surface.endswith(".") and not (len(surface) > 1 and surface[-2].isupper()):
        problems.append(f"{label} {surface!r} ends with a sentence period")
    folded = fold(surface)
    if label == "PERSON" and (opener := _opens_with(folded, rules.person_openers)):
        problems.append(f"PERSON {surface!r} starts with {opener!r} (honorifics, ranks and titles stay outside)")
    if label == "POSITION":
        if opener := _opens_with(folded, rules.position_openers):
            problems.append(f"POSITION {surface!r} starts with the status word {opener!r}")
        if folded in rules.not_positions:
            problems.append(f"{surface!r} is a generic role or honour title, not a POSITION")
    if label == "LOCATION" and folded in rules.not_locations:
        problems.append(f"{surface!r} is a bare unit word, not a LOCATION")
    return problems


def validate(records: Iterable[dict[str, Any]], rules: Rules | None = None) -> tuple[int, int, list[str]]:
    """(documents, entities, problems) for corpus records."""
    rules = rules or Rules.load()
    documents = entities = 0
    problems: list[str] = []
    seen: set[str] = set()
    for record in records:
        documents += 1
        doc_id, text = record.get("id"), record.get("text")
        if not isinstance(doc_id, str) or not isinstance(text, str):
            problems.append(f"record {documents}: needs string 'id' and 'text'")
            continue
        if doc_id in seen:
            problems.append(f"{doc_id}: duplicate id")
        seen.add(doc_id)
        previous_end = 0
        for span in sorted(record.get("spans", []), key=lambda s: (s.get("start", 0), s.get("end", 0))):
            entities += 1
            problems.extend(f"{doc_id}: {p}" for p in span_problems(text, span, rules))
            if isinstance(span.get("start"), int) and span["start"] < previous_end:
                problems.append(f"{doc_id}: span at {span['start']} overlaps the previous one")
            previous_end = max(previous_end, span.get("end", 0) if isinstance(span.get("end"), int) else 0)
    return documents, entities, problems
