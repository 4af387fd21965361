"""``vnpipe train classifier``: a text classifier for any labels, trained as the slogan themes are.

Hashed word and character n-grams, TF-IDF, logistic regression (:class:`pipeline.themes.ThemeModel`);
one label per text, or several (one-vs-rest) when any example has more than one. Cross-validation
reports macro-F1 before the final model is fitted on everything.

Examples come from JSONL (``--text-field``, ``--label-field``; dotted paths such as
``data.text`` reach into objects; a label field may hold a string or a list) or from a Label
Studio JSON export (``--choices NAME``: the ``choices`` of that control are the labels, and
the text field is read from each task's ``data``).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import __version__
from ..corpus import read_jsonl
from ..errors import GoldFormatError, UsageError
from ..evaluate import prf
from ..resources import file_hash
from ..themes import ThemeModel


@dataclass
class Examples:
    texts: list[str]
    labels: list[list[str]]
    skipped: int = 0  # no text, or no label

    @property
    def multi_label(self) -> bool:
        return any(len(labels) > 1 for labels in self.labels)


def _get(obj: Any, path: str) -> Any:
    for key in path.split("."):
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def _as_labels(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def read_examples(paths: Iterable[Path], text_field: str = "text", label_field: str = "label",
                  choices: str | None = None) -> Examples:
    """Texts and their labels from JSONL files, or Label Studio exports when ``choices`` is given."""
    examples = Examples([], [])
    for path in paths:
        if not Path(path).is_file():
            raise UsageError(f"Training data not found: {path}")
        for obj in _objects(Path(path), choices is not None):
            if choices is not None:
                text = _get(obj.get("data", {}), text_field)
                labels = [c for a in obj.get("annotations", []) if a.get("from_name") == choices
                          for c in a.get("value", {}).get("choices", [])]
            else:
                text, labels = _get(obj, text_field), _as_labels(_get(obj, label_field))
            if not isinstance(text, str) or not text.strip() or not labels:
                examples.skipped += 1
                continue
            examples.texts.append(text)
            examples.labels.append(sorted(set(labels)))
    if len(examples.texts) < 2:
        raise GoldFormatError(f"Fewer than two labelled texts in {', '.join(map(str, paths))}",
                              hint="Check --text-field and --label-field (or --choices for Label Studio exports)")
    return examples


def _objects(path: Path, label_studio: bool) -> Iterable[dict[str, Any]]:
    if label_studio:
        data = json.loads(path.read_text(encoding="utf-8"))
        yield from (data if isinstance(data, list) else [data])
        return
    yield from read_jsonl(path)


def _fit(examples: Examples, indices, C: float, seed: int) -> ThemeModel:
    texts = [examples.texts[i] for i in indices]
    if examples.multi_label:
        return ThemeModel.fit_multi(texts, [examples.labels[i] for i in indices], C, seed=seed)
    return ThemeModel.fit(texts, [examples.labels[i][0] for i in indices], C, seed=seed)


def predicted_labels(model: ThemeModel, texts: list[str]) -> list[list[str]]:
    """The best class; with a multi-label model also every other class at probability 0.5 or more."""
    probabilities = model.probabilities(texts)
    out = []
    for row in probabilities:
        best = int(row.argmax())
        chosen = {best} | ({j for j, p in enumerate(row) if p >= 0.5} if model.multi_label else set())
        out.append(sorted(model.classes[j] for j in chosen))
    return out


def scores(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, Any]:
    """Per-class P/R/F1 over label sets, macro and micro F1, and exact-set accuracy."""
    classes = sorted({c for labels in gold + predicted for c in labels})
    per_class, tp_all, fp_all, fn_all = {}, 0, 0, 0
    for c in classes:
        tp = sum(c in g and c in p for g, p in zip(gold, predicted))
        fp = sum(c not in g and c in p for g, p in zip(gold, predicted))
        fn = sum(c in g and c not in p for g, p in zip(gold, predicted))
        precision, recall, f1 = prf(tp, tp + fp, tp + fn)
        per_class[c] = {"p": precision, "r": recall, "f1": f1, "support": tp + fn}
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    supported = [v["f1"] for v in per_class.values() if v["support"]]
    return {
        "macro_f1": sum(supported) / len(supported) if supported else 0.0,
        "micro_f1": prf(tp_all, tp_all + fp_all, tp_all + fn_all)[2],
        "exact": sum(set(g) == set(p) for g, p in zip(gold, predicted)) / len(gold) if gold else 0.0,
        "per_class": per_class,
    }


def cross_validate(examples: Examples, folds: int, C: float, seed: int = 0,
                   progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """k-fold cross-validated scores (stratified by the first label when every class allows it)."""
    from sklearn.model_selection import KFold, StratifiedKFold

    first = [labels[0] for labels in examples.labels]
    counts = {c: first.count(c) for c in set(first)}
    if min(counts.values()) >= folds:
        splits = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(examples.texts, first)
    else:
        splits = KFold(n_splits=folds, shuffle=True, random_state=seed).split(examples.texts)
    predicted: list[list[str]] = [[] for _ in examples.texts]
    for k, (train_idx, test_idx) in enumerate(splits, 1):
        model = _fit(examples, train_idx, C, seed)
        for i, labels in zip(test_idx, predicted_labels(model, [examples.texts[i] for i in test_idx])):
            predicted[i] = labels
        if progress:
            progress(f"fold {k}/{folds}")
    return scores(examples.labels, predicted)


def train_classifier(paths: list[Path], output: Path, *, text_field: str = "text", label_field: str = "label",
                     choices: str | None = None, folds: int = 5, C: float = 10.0, seed: int = 0,
                     progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Cross-validate, fit on every example, save the model and its meta.json; returns the meta."""
    started = time.perf_counter()
    examples = read_examples(paths, text_field, label_field, choices)
    cv = cross_validate(examples, folds, C, seed, progress) if folds > 1 else None
    model = _fit(examples, range(len(examples.texts)), C, seed)
    model.save(output)
    meta = {
        "name": "vnpipe_classifier", "version": __version__, "multi_label": examples.multi_label,
        "classes": model.classes, "examples": len(examples.texts), "skipped": examples.skipped,
        "data": [str(p) for p in paths], "data_sha256": file_hash([Path(p) for p in paths]),
        "settings": {"text_field": text_field, "label_field": label_field, "choices": choices, "C": C,
                     "folds": folds, "seed": seed},
        "cross_validation": cv, "seconds": round(time.perf_counter() - started, 1),
    }
    (output / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return meta
