"""Place-linking evaluation: is each gold LOCATION linked to the administrative unit the
annotators chose (``[[L|LOCATION@code]]`` in the corpus sources)?

Linking runs on the gold entities (after the relations stage, whose title parts give
context), so only the linker is scored. ``accuracy`` counts the
places whose unit exists in the data (a list of candidates counts as wrong);
``false_links`` counts places annotated as not a unit (``@-``) that still got one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus import read_jsonl
from . import gold_files, on_gold_entities


@dataclass
class LinkReport:
    gold_path: str
    documents: int = 0
    places: int = 0  # gold places whose unit is in the data
    correct: int = 0
    ambiguous: int = 0  # left as candidates
    not_units: int = 0
    false_links: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.places if self.places else 0.0


def evaluate_links(path: str | Path, nlp) -> LinkReport:
    records = [r for file in gold_files(Path(path), (".jsonl",)) for r in read_jsonl(file)
               if any("admin" in s for s in r.get("spans", []))]
    report = LinkReport(str(path), documents=len(records))
    for record in records:
        # titles read first (when the pipeline has the relations stage): their places give context
        doc = on_gold_entities(record, nlp, ("relations", "places"))
        for span, entity in zip(record["spans"], doc.entities):
            gold = span.get("admin")
            if span["label"] != "LOCATION" or gold in (None, "?"):
                continue
            found = entity.get("admin")
            if gold == "-":
                report.not_units += 1
                report.false_links += bool(found and "code" in found)
                continue
            report.places += 1
            if found and found.get("code") == gold:
                report.correct += 1
                continue
            report.ambiguous += bool(found and "candidates" in found)
            report.errors.append({"id": record["id"], "place": entity["text"], "gold": gold,
                                  "found": (found or {}).get("code") or ("candidates" if found else None)})
    return report
