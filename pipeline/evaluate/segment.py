"""Word-segmentation evaluation against VLSP 2013 or CoNLL-U gold.

Each gold sentence is rebuilt as raw text (syllables joined by single spaces),
annotated by the pipeline, and its predicted words are compared with the gold
words as character spans: a word counts when both its boundaries match.

Gold formats:

- ``vlsp2013``: one sentence per line, words separated by spaces, syllables of a
  word joined by ``_``; ``word/TAG`` tokens (``.pos`` files) are split on the last
  ``/``. Lines that look like markup (``<pTitle>``) are skipped.
- ``conllu``: FORM columns; a multi-syllable word has spaces inside its FORM.
  Multi-word token ranges (``1-2``) and empty nodes (``1.1``) are skipped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import GoldFormatError
from . import gold_files, prf

GOLD_FORMATS = ("vlsp2013", "conllu")


@dataclass
class GoldSentence:
    text: str
    words: list[tuple[int, int]]


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0
    sentences: int = 0

    @property
    def precision(self) -> float:
        return prf(self.true_positives, self.predicted, self.gold)[0]

    @property
    def recall(self) -> float:
        return prf(self.true_positives, self.predicted, self.gold)[1]

    @property
    def f1(self) -> float:
        return prf(self.true_positives, self.predicted, self.gold)[2]

    def add(self, gold: Iterable[tuple[int, int]], predicted: Iterable[tuple[int, int]]) -> None:
        gold_set, predicted_set = set(gold), set(predicted)
        self.true_positives += len(gold_set & predicted_set)
        self.gold += len(gold_set)
        self.predicted += len(predicted_set)
        self.sentences += 1

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "gold_words": self.gold,
            "predicted_words": self.predicted,
            "sentences": self.sentences,
        }


@dataclass
class SegmentationReport:
    gold_path: str
    format: str
    scores: dict[str, Score] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    syllables: int = 0


def read_vlsp2013(path: Path) -> Iterator[GoldSentence]:
    """Words rebuilt with single spaces."""
    from ..importers import vlsp2013

    for record in vlsp2013.read(path, plain=True):
        yield GoldSentence(record["text"], [(start, end) for start, end in record["tokens"]])


def read_conllu(path: Path) -> Iterator[GoldSentence]:
    """Words from the FORM column, rebuilt with single spaces (``# text`` is not used)."""
    from ..importers import conllu

    for record in conllu.read(path, plain=True):
        yield GoldSentence(record["text"], [(start, end) for start, end in record["tokens"]])


_SUFFIXES = {"vlsp2013": (".pos", ".seg", ".txt"), "conllu": (".conllu",)}


def read_gold(path: str | Path, fmt: str) -> list[GoldSentence]:
    if fmt not in GOLD_FORMATS:
        raise GoldFormatError(f"Unknown gold format {fmt!r}", hint=f"Use one of: {', '.join(GOLD_FORMATS)}")
    reader = read_vlsp2013 if fmt == "vlsp2013" else read_conllu
    files = gold_files(Path(path), _SUFFIXES[fmt], what=f"{fmt} gold")
    return [sentence for file in files for sentence in reader(file)]


def spans_from_words(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of a baseline's output words, aligned by non-space characters.

    Baselines may re-join syllables with "_" or change tone marks, but they keep
    one character per input character, so counting non-space characters aligns them.
    """
    positions = [i for i, char in enumerate(text) if not char.isspace()]
    spans, k = [], 0
    for word in words:
        length = sum(1 for char in word if not char.isspace() and char != "_") or 1
        if k + length > len(positions):
            break
        spans.append((positions[k], positions[k + length - 1] + 1))
        k += length
    return spans


Segmenter = Callable[[list[str]], list[list[tuple[int, int]]]]


def score(gold: list[GoldSentence], segment: Segmenter) -> Score:
    result = Score()
    predicted = segment([g.text for g in gold])
    for sentence, spans in zip(gold, predicted):
        result.add(sentence.words, spans)
    return result


def vnpipe_segmenter(nlp) -> Segmenter:
    def segment(texts: list[str]) -> list[list[tuple[int, int]]]:
        return [[(t.start, t.end) for t in doc.tokens] for doc in nlp.pipe(texts)]

    return segment


def underthesea_segmenter() -> Segmenter:
    from underthesea import word_tokenize

    def segment(texts: list[str]) -> list[list[tuple[int, int]]]:
        return [spans_from_words(text, word_tokenize(text)) for text in texts]

    return segment


BASELINES: dict[str, Callable[[], Segmenter]] = {"underthesea": underthesea_segmenter}


def evaluate_segmentation(path: str | Path, fmt: str, nlp, compare: Iterable[str] = ()) -> SegmentationReport:
    """Score vnpipe (and each baseline named in ``compare``) on the same gold sentences."""
    import time

    gold = read_gold(path, fmt)
    report = SegmentationReport(gold_path=str(path), format=fmt)
    report.syllables = sum(len(g.text.split()) for g in gold)
    systems: dict[str, Segmenter] = {"vnpipe": vnpipe_segmenter(nlp)}
    for name in compare:
        if name not in BASELINES:
            raise GoldFormatError(f"Unknown baseline {name!r}", hint=f"Known: {', '.join(BASELINES)}")
        systems[name] = BASELINES[name]()
    for name, segment in systems.items():
        started = time.perf_counter()
        report.scores[name] = score(gold, segment)
        report.seconds[name] = time.perf_counter() - started
    return report
