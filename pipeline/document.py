"""The one document model every stage reads and writes.

A :class:`Document` holds the NFC-composed input text and stand-off
annotations: every ``start``/``end`` is a character offset into ``text``, so
nothing is ever deleted or rewritten. Stages add annotations; ``to_dict`` gives
the JSONL record described in ``docs/output-format.md``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

BLOCK_KINDS = ("title", "paragraph", "caption", "byline", "boilerplate")


@dataclass(slots=True)
class Block:
    start: int
    end: int
    kind: str


@dataclass(slots=True)
class Sentence:
    start: int
    end: int


@dataclass(slots=True)
class Token:
    """A word: one or more syllables; ``norm`` is its matching form (see pipeline.tones)."""

    start: int
    end: int
    norm: str
    ws: bool


@dataclass
class Document:
    id: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    slogans: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def stages(self) -> dict[str, str]:
        """Which stages (and model versions) have annotated this document."""
        return self.meta.setdefault("stages", {})

    def token_text(self, token: Token) -> str:
        return self.text[token.start : token.end]

    def to_dict(self) -> dict[str, Any]:
        text = self.text
        return {
            "id": self.id,
            "text": text,
            "blocks": [{"start": b.start, "end": b.end, "kind": b.kind} for b in self.blocks],
            "sentences": [{"start": s.start, "end": s.end} for s in self.sentences],
            "tokens": [
                {"start": t.start, "end": t.end, "text": text[t.start : t.end], "norm": t.norm, "ws": t.ws}
                for t in self.tokens
            ],
            "entities": self.entities,
            "relations": self.relations,
            "slogans": self.slogans,
            "people": self.people,
            "meta": self.meta,
        }

    def to_json(self) -> bytes:
        """One JSONL line (UTF-8, with the trailing newline)."""
        return orjson.dumps(self.to_dict(), option=orjson.OPT_APPEND_NEWLINE)

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> "Document":
        """Rebuild a document written by an earlier vnpipe stage (``vnpipe normalize | vnpipe segment``)."""
        return cls(
            id=str(record["id"]),
            text=record["text"],
            blocks=[Block(b["start"], b["end"], b["kind"]) for b in record.get("blocks", [])],
            sentences=[Sentence(s["start"], s["end"]) for s in record.get("sentences", [])],
            tokens=[Token(t["start"], t["end"], t["norm"], t["ws"]) for t in record.get("tokens", [])],
            entities=list(record.get("entities", [])),
            relations=list(record.get("relations", [])),
            slogans=list(record.get("slogans", [])),
            people=list(record.get("people", [])),
            meta=dict(record.get("meta", {})),
        )

    @staticmethod
    def is_annotated(record: dict[str, Any]) -> bool:
        """True when a JSON record is a vnpipe output rather than raw input."""
        return isinstance(record.get("meta"), dict) and "stages" in record["meta"]


_INVISIBLE_OR_BREAK = frozenset("\n\r\u200b\u200c\u200d\u2060\ufeff\u00ad")


def offset_problems(record: dict[str, Any]) -> list[str]:
    """Check a JSONL record against the output contract; returns what is wrong (empty when valid).

    Spans lie inside ``text`` in order without overlap; every token and sentence
    lies inside one block, every token inside one sentence; a token's ``text`` is
    ``text[start:end]``, has no edge whitespace, line break or invisible character;
    entity and slogan texts match their offsets, title parts lie inside their title,
    relations go from a PERSON to a POSITION and people's mentions are PERSON entities.
    """
    text = record["text"]
    problems: list[str] = []

    def check_layer(name: str, spans: list[dict[str, Any]]) -> None:
        previous_end = 0
        for i, span in enumerate(spans):
            start, end = span["start"], span["end"]
            if not 0 <= start < end <= len(text):
                problems.append(f"{name}[{i}] ({start}, {end}) outside text of length {len(text)}")
            if start < previous_end:
                problems.append(f"{name}[{i}] overlaps or precedes the previous one")
            previous_end = max(previous_end, end)

    def check_inside(name: str, inner: list[dict[str, Any]], outer_name: str, outer: list[dict[str, Any]]) -> None:
        k = 0
        for i, span in enumerate(inner):
            while k < len(outer) and outer[k]["end"] <= span["start"]:
                k += 1
            if k == len(outer) or not outer[k]["start"] <= span["start"] < span["end"] <= outer[k]["end"]:
                problems.append(f"{name}[{i}] ({span['start']}, {span['end']}) is not inside one {outer_name}")

    for layer in ("blocks", "sentences", "tokens"):
        check_layer(layer, record.get(layer, []))
    check_inside("sentences", record.get("sentences", []), "block", record.get("blocks", []))
    check_inside("tokens", record.get("tokens", []), "sentence", record.get("sentences", []))
    for i, token in enumerate(record.get("tokens", [])):
        piece = text[token["start"] : token["end"]]
        if token.get("text", piece) != piece:
            problems.append(f"tokens[{i}] text {token['text']!r} != text[start:end] {piece!r}")
        if piece != piece.strip() or _INVISIBLE_OR_BREAK.intersection(piece):
            problems.append(f"tokens[{i}] {piece!r} has edge whitespace, a line break or an invisible character")
        if token["norm"] != token["norm"].lower():
            problems.append(f"tokens[{i}] norm {token['norm']!r} is not lower case")
    entities = record.get("entities", [])
    for layer in ("entities", "slogans"):
        check_layer(layer, record.get(layer, []))
        for i, span in enumerate(record.get(layer, [])):
            if text[span["start"] : span["end"]] != span.get("text"):
                problems.append(f"{layer}[{i}] text does not match text[start:end]")
    for i, entity in enumerate(entities):
        for name, part in entity.get("parts", {}).items():
            inside = entity["start"] <= part["start"] < part["end"] <= entity["end"]
            if text[part["start"] : part["end"]] != part["text"] or not (inside or part.get("inferred")):
                problems.append(f"entities[{i}].parts.{name} does not index its text inside the entity")
    for i, relation in enumerate(record.get("relations", [])):
        head, tail = relation["head"], relation["tail"]
        if not (0 <= head < len(entities) and 0 <= tail < len(entities)):
            problems.append(f"relations[{i}] points outside entities")
        elif (entities[head]["label"], entities[tail]["label"]) != ("PERSON", "POSITION"):
            problems.append(f"relations[{i}] is not PERSON -> POSITION")
    for i, person in enumerate(record.get("people", [])):
        if any(not 0 <= m < len(entities) or entities[m]["label"] != "PERSON" for m in person["mentions"]):
            problems.append(f"people[{i}] has a mention that is not a PERSON entity")
    return problems
