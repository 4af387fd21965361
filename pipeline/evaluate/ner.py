"""Named-entity evaluation: exact-match P/R/F1 per label and micro-averaged.

Gold formats:

- ``jsonl``: the project's corpus format, ``{"text", "spans": [{"start","end","label"}]}``.
- ``vlsp2016``: columns ``word POS chunk NER nested``; syllables of a word joined
  by ``_``; BIO tags; blank lines between sentences. Each sentence is rebuilt as
  raw text (syllables and words joined by single spaces).
- ``vlsp2018``: raw text with inline ``<ENAMEX TYPE="...">`` tags, possibly
  nested; the outermost tag is the entity.

The VLSP files are read by :mod:`pipeline.importers` (the same code as
``vnpipe corpus import``), with the texts these scores were always measured on:
words joined by single spaces for VLSP 2016, the file's text unrepaired for 2018.

For the VLSP formats vnpipe's labels map to theirs (PERSON→PER, LOCATION→LOC,
ORGANIZATION→ORG); POSITION has no counterpart there and is ignored, and so
is MISC (vnpipe has no such label).
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import GoldFormatError
from . import gold_files, prf
from .segment import spans_from_words

FORMATS = ("jsonl", "vlsp2016", "vlsp2018")
VLSP_LABELS = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"}
_VLSP2018_TYPES = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG", "MISCELLANEOUS": "MISC"}

Span = tuple[int, int, str]


@dataclass
class GoldDocument:
    id: str
    text: str
    spans: list[Span]


@dataclass
class Scores:
    true_positives: Counter = field(default_factory=Counter)
    predicted: Counter = field(default_factory=Counter)
    gold: Counter = field(default_factory=Counter)

    def add(self, gold: Iterable[Span], predicted: Iterable[Span]) -> None:
        gold_set, predicted_set = set(gold), set(predicted)
        for _, _, label in gold_set:
            self.gold[label] += 1
        for _, _, label in predicted_set:
            self.predicted[label] += 1
        for _, _, label in gold_set & predicted_set:
            self.true_positives[label] += 1

    @staticmethod
    def _prf(tp: int, predicted: int, gold: int) -> dict[str, float | int]:
        p, r, f = prf(tp, predicted, gold)
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": gold, "predicted": predicted}

    def table(self) -> dict[str, dict[str, float | int]]:
        labels = sorted(set(self.gold) | set(self.predicted))
        rows = {label: self._prf(self.true_positives[label], self.predicted[label], self.gold[label]) for label in labels}
        rows["micro"] = self._prf(sum(self.true_positives.values()), sum(self.predicted.values()), sum(self.gold.values()))
        return rows


def read_jsonl_gold(path: Path) -> Iterator[GoldDocument]:
    from ..corpus import read_jsonl

    for file in gold_files(path, (".jsonl",)):
        for i, record in enumerate(read_jsonl(file)):
            spans = [(s["start"], s["end"], s["label"]) for s in record.get("spans", [])]
            yield GoldDocument(str(record.get("id", f"{file}:{i}")), record["text"], spans)


def read_vlsp2016(path: Path) -> Iterator[GoldDocument]:
    """Sentences rebuilt with one space between words, as the published scores were measured."""
    from ..importers import vlsp2016

    return (_gold(record) for record in vlsp2016.read(path, plain=True))


def read_vlsp2018(path: Path) -> Iterator[GoldDocument]:
    """Documents whose text is the file's without its tags, unrepaired, with VLSP's labels shortened."""
    from ..importers import vlsp2018

    for record in vlsp2018.read(path, repair=False):
        spans = [(s, e, _VLSP2018_TYPES.get(label, label)) for s, e, label in _gold(record).spans]
        yield GoldDocument(record["id"], record["text"], spans)


def _gold(record: dict) -> GoldDocument:
    return GoldDocument(record["id"], record["text"], [(s["start"], s["end"], s["label"]) for s in record["spans"]])


def bio_spans(positions: list[tuple[int, int]], tags: list[str]) -> list[Span]:
    """Character spans from per-word (start, end) positions and BIO tags (an I- without its B- starts a span)."""
    from ..importers._tokens import tag_spans

    return [(positions[first][0], positions[end - 1][1], label) for first, end, label in tag_spans(tags)]


READERS: dict[str, Callable[[Path], Iterator[GoldDocument]]] = {
    "jsonl": read_jsonl_gold,
    "vlsp2016": read_vlsp2016,
    "vlsp2018": read_vlsp2018,
}


def read_gold(path: str | Path, fmt: str) -> list[GoldDocument]:
    if fmt not in READERS:
        raise GoldFormatError(f"Unknown gold format {fmt!r}", hint=f"Use one of: {', '.join(FORMATS)}")
    return list(READERS[fmt](Path(path)))


def vnpipe_system(nlp, label_map: dict[str, str] | None) -> Callable[[list[str]], list[list[Span]]]:
    def predict(texts: list[str]) -> list[list[Span]]:
        out = []
        for doc in nlp.pipe(texts):
            spans = []
            for e in doc.entities:
                label = label_map.get(e["label"]) if label_map is not None else e["label"]
                if label:
                    spans.append((e["start"], e["end"], label))
            out.append(spans)
        return out

    return predict


def underthesea_system() -> Callable[[list[str]], list[list[Span]]]:
    from underthesea import ner

    def predict(texts: list[str]) -> list[list[Span]]:
        out = []
        for text in texts:
            rows = ner(text) if text.strip() else []
            positions = spans_from_words(text, [row[0] for row in rows])
            spans = bio_spans(positions, [row[-1] for row in rows])
            out.append([s for s in spans if s[2] in VLSP_LABELS.values()])
        return out

    return predict


@dataclass
class NerReport:
    gold_path: str
    format: str
    documents: int = 0
    scores: dict[str, Scores] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def evaluate_ner(path: str | Path, fmt: str, nlp, compare: Iterable[str] = ()) -> NerReport:
    """Score vnpipe (and each baseline in ``compare``) on the same gold texts."""
    gold = read_gold(path, fmt)
    vlsp = fmt != "jsonl"
    keep = set(VLSP_LABELS.values()) if vlsp else None
    report = NerReport(str(path), fmt, documents=len(gold))
    systems = {"vnpipe": vnpipe_system(nlp, VLSP_LABELS if vlsp else None)}
    for name in compare:
        if name != "underthesea":
            raise GoldFormatError(f"Unknown baseline {name!r}", hint="Known: underthesea")
        if not vlsp:
            raise GoldFormatError("underthesea has no POSITION label", hint="Compare on a VLSP format")
        systems[name] = underthesea_system()
    texts = [g.text for g in gold]
    for name, predict in systems.items():
        started = time.perf_counter()
        predictions = predict(texts)
        report.seconds[name] = time.perf_counter() - started
        scores = Scores()
        for document, predicted in zip(gold, predictions):
            gold_spans = [s for s in document.spans if keep is None or s[2] in keep]
            scores.add(gold_spans, predicted)
        report.scores[name] = scores
    return report
