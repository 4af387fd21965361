"""Scoring against gold annotations: word segmentation (``segment``), entities (``ner``),
relations, place links and slogans."""
from __future__ import annotations

from pathlib import Path
from typing import Any


def gold_files(path: Path, suffixes: tuple[str, ...], what: str = "gold") -> list[Path]:
    """A gold file, or every file with one of ``suffixes`` under a folder, sorted."""
    from ..importers.base import input_files

    return input_files(path, suffixes, what)


def prf(true_positives: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0.0 where undefined)."""
    p = true_positives / predicted if predicted else 0.0
    r = true_positives / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def on_gold_entities(record: dict[str, Any], nlp, stages: tuple[str, ...]):
    """A document of the record's text with the pipeline's blocks and sentences and the record's
    gold entities, then the named later stages of ``nlp`` run on it (those it has, in its order):
    a later stage scored on its own, without the entity model's errors."""
    from ..document import Document
    from ..tones import fold

    text = record["text"]
    doc = Document(id=str(record.get("id", "")), text=text)
    if record.get("meta", {}).get("year"):  # the corpus's publication year, as an archive's date field
        doc.meta["date"] = str(record["meta"]["year"])
    for stage in nlp.stages:
        if stage.name in ("normalize", "sentences"):
            stage([doc])
    doc.entities = [{"start": s["start"], "end": s["end"], "label": s["label"], "text": text[s["start"]:s["end"]],
                     "norm": fold(text[s["start"]:s["end"]])} for s in record["spans"]]
    for stage in nlp.stages:
        if stage.name in stages:
            stage([doc])
    return doc
