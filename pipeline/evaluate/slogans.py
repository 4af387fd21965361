"""Slogan evaluation: detection P/R/F1 (exact spans) and theme accuracy, macro-F1, confusion.

Detection runs the pipeline's slogans stage on the gold documents' text. Themes are
scored on the gold slogans the detector found exactly, and on the movement names of
the same split (``corpus/slogans/names``, split by :func:`pipeline.slogan_corpus.name_split`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus import read_jsonl
from ..slogan_corpus import name_split, read_names
from . import gold_files, prf


def theme_scores(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the gold themes, and the confusion matrix (rows gold, columns predicted)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    if not gold:
        return {"examples": 0}
    labels = sorted(set(gold) | set(predicted))
    return {
        "examples": len(gold),
        "accuracy": round(accuracy_score(gold, predicted), 4),
        "macro_f1": round(f1_score(gold, predicted, average="macro", labels=sorted(set(gold))), 4),
        "labels": labels,
        "confusion": confusion_matrix(gold, predicted, labels=labels).tolist(),
    }


@dataclass
class ThemeScores:
    gold: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)

    def table(self) -> dict[str, Any]:
        return theme_scores(self.gold, self.predicted)


@dataclass
class SloganReport:
    gold_path: str
    documents: int = 0
    detection: dict[str, float | int] = field(default_factory=dict)
    themes_in_context: dict[str, Any] = field(default_factory=dict)
    themes_of_names: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def evaluate_slogans(path: str | Path, nlp, names_dir: Path | None = None, split: str | None = None) -> SloganReport:
    """Score the pipeline on gold slogan JSONL; ``names_dir`` + ``split`` also score the names of that split."""
    records = [r for file in gold_files(Path(path), (".jsonl",)) for r in read_jsonl(file)]
    report = SloganReport(str(path), documents=len(records))
    tp = predicted_total = gold_total = 0
    in_context = ThemeScores()
    for record, doc in zip(records, nlp.pipe(record["text"] for record in records)):
        gold = {(s["start"], s["end"]): s.get("theme") for s in record.get("spans", [])}
        found = {(s["start"], s["end"]): s["label"] for s in doc.slogans}
        gold_total += len(gold)
        predicted_total += len(found)
        for span, theme in gold.items():
            if span in found:
                tp += 1
                in_context.gold.append(theme)
                in_context.predicted.append(found[span])
        if set(gold) != set(found):
            text = record["text"]
            report.errors.append({"id": record.get("id"), "missed": [text[s:e] for s, e in sorted(set(gold) - set(found))],
                                  "spurious": [text[s:e] for s, e in sorted(set(found) - set(gold))]})
    p, r, f = prf(tp, predicted_total, gold_total)
    report.detection = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                        "gold": gold_total, "predicted": predicted_total}
    report.themes_in_context = in_context.table()
    if names_dir is not None and split:
        report.themes_of_names = _score_names(nlp, names_dir, split)
    return report


def _score_names(nlp, names_dir: Path, split: str) -> dict[str, Any]:
    stage = next((s for s in nlp.stages if s.name == "slogans"), None)
    if stage is None:
        return {}
    names = [n for n in read_names(names_dir) if name_split(n["name"]) == split]
    scores = ThemeScores([n["theme"] for n in names],
                         [ranked[0][0] for ranked in stage.classify([n["name"] for n in names], top=1)])
    return scores.table()


def cross_validated_themes(model_dir: Path, names_dir: Path, records_paths: list[Path], folds: int = 5) -> dict[str, Any]:
    """k-fold cross-validation of the theme classifier with the shipped model's settings (C, features)
    on the names and context slogans of the train and dev splits."""
    import json

    from ..train.slogans import cross_validate, training_examples

    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    records = [r for path in records_paths for r in read_jsonl(path)]
    texts, themes = training_examples(read_names(names_dir), records)
    seed = int(meta.get("config", {}).get("training", {}).get("seed", 0))
    return cross_validate(texts, themes, float(meta["C"]), meta["config"]["features"], folds, seed)
