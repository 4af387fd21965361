"""Train the slogan model: the known-names lexicon for the detector and the theme classifier.

``vnpipe train slogans --config configs/slogans.cfg --output models/slogans`` reads the
movement names and the train/dev context documents, chooses the classifier's
regularisation by stratified k-fold cross-validation (macro-F1), refits on everything
but the test split, measures each detection rule's precision on the context documents
(the stage reports it as the slogan's ``score``), and writes the model with its meta.
Deterministic for a given corpus and config.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import __version__
from ..config import load_config, resolve_path
from ..corpus import read_jsonl
from ..errors import ConfigError, GoldFormatError
from ..resources import file_hash
from ..slogan_corpus import load_themes, name_split, read_names
from ..slogan_finder import SloganFinder
from ..themes import ThemeModel

Examples = tuple[list[str], list[str]]


def training_examples(names: list[dict[str, Any]], records: Iterable[dict[str, Any]],
                      splits: tuple[str, ...] = ("train", "dev")) -> Examples:
    """(texts, themes) from the names of the given splits and the slogans of the given records."""
    texts, themes = [], []
    for name in names:
        if name_split(name["name"]) in splits:
            texts.append(name["name"])
            themes.append(name["theme"])
    for record in records:
        for span in record.get("spans", []):
            texts.append(record["text"][span["start"]:span["end"]])
            themes.append(span["theme"])
    return texts, themes


def cross_validate(texts: list[str], themes: list[str], C: float, features: dict[str, Any], folds: int,
                   seed: int, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Stratified k-fold accuracy, macro-F1 and confusion matrix of the theme classifier."""
    from sklearn.model_selection import StratifiedKFold

    from ..evaluate.slogans import theme_scores

    predicted = [""] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (train_idx, test_idx) in enumerate(splitter.split(texts, themes), 1):
        model = ThemeModel.fit([texts[i] for i in train_idx], [themes[i] for i in train_idx], C, features, seed)
        for i, best in zip(test_idx, model.predict([texts[i] for i in test_idx], top=1)):
            predicted[i] = best[0][0]
        if progress:
            progress(f"C={C}: fold {k}/{folds}")
    return {"C": C, **theme_scores(themes, predicted)}


def rule_precision(finder: SloganFinder, records: Iterable[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per detection rule: how many of its spans are gold slogans (exact match)."""
    counts: dict[str, list[int]] = {}
    for record in records:
        gold = {(s["start"], s["end"]) for s in record.get("spans", [])}
        for found in finder.find(record["text"]):
            hit_total = counts.setdefault(found.rule, [0, 0])
            hit_total[0] += (found.start, found.end) in gold
            hit_total[1] += 1
    return {rule: {"precision": round(hit / total, 4), "found": total} for rule, (hit, total) in sorted(counts.items())}


def train_slogans(config_path: Path, output: Path, overrides: dict[str, Any] | None = None,
                  progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    config, base = load_config(config_path, overrides or {})
    try:
        corpus, features, training = config["corpus"], dict(config["features"]), config["training"]
        candidates = [float(c) for c in training["C"]]
        folds, seed = int(training["cv_folds"]), int(training["seed"])
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"{config_path}: missing or bad setting ({err})") from None
    names_dir = resolve_path(corpus["names"], base)
    train_path, dev_path = resolve_path(corpus["train"], base), resolve_path(corpus["dev"], base)
    for path in (train_path, dev_path):
        if not path.is_file():
            raise GoldFormatError(f"Slogan corpus file not found: {path}", hint="Run `vnpipe corpus build` first")
    themes = load_themes(resolve_path(corpus["themes"], base))
    names = read_names(names_dir)
    records = [*read_jsonl(train_path), *read_jsonl(dev_path)]
    texts, labels = training_examples(names, records)
    unknown = sorted(set(labels) - set(themes))
    if unknown:
        raise GoldFormatError(f"Themes not in {corpus['themes']}: {', '.join(unknown)}")

    cv = [cross_validate(texts, labels, c, features, folds, seed, progress) for c in candidates]
    best = max(cv, key=lambda r: (r["macro_f1"], -r["C"]))
    model = ThemeModel.fit(texts, labels, best["C"], features, seed)

    known = sorted({n["name"] for n in names} | {r["text"][s["start"]:s["end"]] for r in records for s in r["spans"]})
    finder = SloganFinder(known)
    if output.exists():
        shutil.rmtree(output)
    model.save(output)
    (output / "known_names.txt").write_text("\n".join(known) + "\n", encoding="utf-8")
    sources = [*names_dir.glob("*.tsv"), train_path, dev_path]
    meta = {
        "name": "vnpipe_slogans",
        "version": __version__,
        "themes": {k: v.get("name", k) for k, v in themes.items()},
        "corpus_sha256": file_hash(sources),
        "config_sha256": file_hash([config_path]),
        "config": dict(config),
        "training_examples": len(texts),
        "known_names": len(known),
        "C": best["C"],
        "cross_validation": [{k: r[k] for k in ("C", "accuracy", "macro_f1")} for r in cv],
        "cross_validation_best": best,
        "rule_precision": rule_precision(finder, records),
    }
    (output / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return meta
