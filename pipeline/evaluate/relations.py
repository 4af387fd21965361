"""HOLDS relation evaluation on the relation-annotated part of the corpus.

Two settings, both exact match:

- ``gold entities``: the relations stage reads the gold PERSON/POSITION spans, so only
  the relation rules are scored;
- ``end to end``: the whole pipeline runs on the text; a relation counts when both its
  person span and its position span are exactly the gold ones.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus import read_jsonl
from . import gold_files, on_gold_entities, prf

Pair = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class RelationReport:
    gold_path: str
    documents: int = 0
    scores: dict[str, dict[str, float | int]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _pairs(entities: list[dict[str, Any]], relations: list[dict[str, Any]]) -> set[Pair]:
    return {((entities[r["head"]]["start"], entities[r["head"]]["end"]),
             (entities[r["tail"]]["start"], entities[r["tail"]]["end"])) for r in relations}


def _score(tp: int, predicted: int, gold: int) -> dict[str, float | int]:
    p, r, f = prf(tp, predicted, gold)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": gold, "predicted": predicted}


def evaluate_relations(path: str | Path, nlp) -> RelationReport:
    """Score ``nlp`` (a pipeline with the relations stage) on gold JSONL with ``relations``."""
    records = [r for file in gold_files(Path(path), (".jsonl",)) for r in read_jsonl(file)
               if r.get("meta", {}).get("relations") == "yes"]
    report = RelationReport(str(path), documents=len(records))
    counts = {"gold_entities": [0, 0, 0], "end_to_end": [0, 0, 0]}
    for record in records:
        text = record["text"]
        gold = _pairs(record["spans"], record["relations"])
        doc = on_gold_entities(record, nlp, ("relations",))
        given = _pairs(doc.entities, doc.relations)
        full = nlp(text, id=record["id"])
        predicted = _pairs(full.entities, full.relations)
        for key, found in (("gold_entities", given), ("end_to_end", predicted)):
            counts[key][0] += len(gold & found)
            counts[key][1] += len(found)
            counts[key][2] += len(gold)
        if given != gold:
            show = lambda pairs: [(text[a:b], text[c:d]) for (a, b), (c, d) in sorted(pairs)]  # noqa: E731
            report.errors.append({"id": record["id"], "missed": show(gold - given), "spurious": show(given - gold)})
    report.scores = {key: _score(*values) for key, values in counts.items()}
    return report
