"""``vnpipe train segmenter``: a CRF word segmenter from word-segmented sentences.

Each gold sentence becomes what the segment stage sees (:mod:`pipeline.stages.segment`):
its syllables as :func:`pipeline.syllables.syllables` splits them, in the stage's tone
style (``new_style_syllable``), tagged ``B-W`` where a gold word starts and ``I-W`` inside
one. underthesea_core's ``CRFFeaturizer`` turns them into the attribute strings that
:class:`pipeline.crf.FastCRFTagger` looks up, with the dictionary the stage builds
(:func:`~pipeline.stages.segment.crf_dictionary`: the base dictionary plus the domain
lexicon), and python-crfsuite trains the CRF (L-BFGS, settings in ``configs/segmenter.cfg``).

The output directory has underthesea's model layout (``models.bin``, ``features.bin``,
``dictionary.bin``) plus ``meta.json`` (data hash, config, templates, time, dev scores),
so ``[segment] model = DIR`` (``vnpipe run --segmenter DIR``) tags with it unchanged.
"""
from __future__ import annotations

import json
import pickle
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .. import __version__
from ..config import configs_dir, load_config, resolve_path
from ..crf import load_pickled, parse_template
from ..errors import ConfigError, GoldFormatError, ModelError, OutputError, UnknownFormat
from ..importers.base import input_files
from ..lexicon import Lexicon
from ..resources import file_hash
from ..stages.segment import crf_dictionary, resolve_model
from ..syllables import syllables
from ..tones import new_style_syllable

FORMATS = ("vlsp2013", "conllu")
DEFAULT_CONFIG = "segmenter.cfg"
# Sentences featurized at once: the attribute strings of a batch are handed to CRFsuite
# (which keeps only ids) before the next is built, so memory stays ~40 strings a syllable
# of one batch instead of ~100 million strings for VLSP 2013.
_BATCH = 2000

Progress = Callable[[str], None]


@dataclass
class TaggedSentence:
    syllables: list[str]
    tags: list[str]


@dataclass
class ReadStats:
    sentences: int = 0
    syllables: int = 0
    words: int = 0
    # gold word boundaries inside one of the stage's syllables ("TP.HCM" as two words):
    # the syllable is tagged by its start, so that boundary cannot be learnt
    boundaries_inside_syllables: int = 0
    files: list[Path] = field(default_factory=list)


def _reader(fmt: str):
    from ..importers import conllu, vlsp2013

    readers = {"vlsp2013": vlsp2013, "conllu": conllu}
    if fmt not in readers:
        raise UnknownFormat(f"Unknown segmentation format {fmt!r}", hint=f"Use one of: {', '.join(FORMATS)}")
    return readers[fmt]


def tagged_syllables(text: str, words: Iterable[tuple[int, int]], stats: ReadStats | None = None) -> TaggedSentence:
    """The stage's syllables of ``text`` with B-W/I-W tags from the gold ``words`` (character spans)."""
    starts = sorted(start for start, _ in words)
    forms, tags = [], []
    for start, end, unit in syllables(text):
        forms.append(new_style_syllable(unit))
        k = bisect_right(starts, start)
        tags.append("B-W" if len(forms) == 1 or (k and starts[k - 1] == start) else "I-W")
        if stats is not None and k < len(starts) and starts[k] < end:
            stats.boundaries_inside_syllables += 1
    return TaggedSentence(forms, tags)


def read_sentences(paths: Iterable[Path], fmt: str, stats: ReadStats | None = None) -> Iterator[TaggedSentence]:
    """Tagged syllables of every sentence in ``paths`` (files or folders) in format ``fmt``.

    The text is rebuilt with one space between words (``plain``), as ``vnpipe evaluate
    segment`` scores it; the syllables the stage finds do not depend on that spacing.
    """
    reader = _reader(fmt)
    stats = stats if stats is not None else ReadStats()
    for path in paths:
        files = input_files(Path(path), reader.SUFFIXES, fmt)
        if fmt == "vlsp2013":
            _refuse_columns(files)
        stats.files.extend(files)
        for record in reader.read(Path(path), plain=True):
            sentence = tagged_syllables(record["text"], record["tokens"], stats)
            if not sentence.syllables:
                continue
            stats.sentences += 1
            stats.syllables += len(sentence.syllables)
            stats.words += sentence.tags.count("B-W")
            yield sentence


def _refuse_columns(files: list[Path]) -> None:
    """VLSP 2013 has no tabs; read as VLSP 2013, a CoNLL-U file would train on its column values."""
    for file in files:
        with open(file, encoding="utf-8", errors="replace") as f:
            head = [f.readline() for _ in range(20)]
        if any("\t" in line for line in head):
            raise GoldFormatError(f"{file} has tab-separated columns: not VLSP 2013 segmentation",
                                  hint="For CoNLL-U files use --format conllu")


@dataclass
class SegmenterConfig:
    templates: list[str]
    params: dict[str, Any]
    base_dictionary: Path
    lexicon_files: list[Path]
    source: Path
    raw: dict[str, Any]


def load_segmenter_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> SegmenterConfig:
    """``configs/segmenter.cfg`` (or ``path``), with ``section.key=value`` overrides."""
    path = Path(path) if path else configs_dir() / DEFAULT_CONFIG
    config, base = load_config(path, overrides)
    try:
        templates = [str(t) for t in config["features"]["templates"]]
        training, dictionary = config["training"], config["dictionary"]
        base_dictionary = resolve_model(str(dictionary["base"]), base) / "dictionary.bin"
    except KeyError as err:
        raise ConfigError(f"{path} has no {err}",
                          hint="It needs [dictionary] base, [features] templates and [training] (see configs/segmenter.cfg)")
    try:
        for template in templates:
            parse_template(template)  # refuses what FastCRFTagger could not tag with
    except ModelError as err:
        raise ConfigError(f"{path}: {err.message}", hint=err.hint) from err
    params = {("feature." + k[len("feature_"):] if k.startswith("feature_") else k): v for k, v in training.items()}
    return SegmenterConfig(
        templates=templates, params=params, base_dictionary=base_dictionary,
        lexicon_files=[resolve_path(p, base) for p in dictionary.get("lexicon", [])],
        source=path, raw=dict(config),
    )


def model_dictionary(config: SegmenterConfig) -> set[str]:
    """The base dictionary plus the lexicon words, in the forms the CRF looks up."""
    if not config.base_dictionary.is_file():
        raise ModelError(f"Dictionary not found: {config.base_dictionary}",
                         hint="Check [dictionary] base in the segmenter config")
    lexicon = Lexicon.from_files(config.lexicon_files)
    return crf_dictionary(load_pickled(config.base_dictionary), lexicon.entries())


def _writable(output: Path) -> None:
    try:
        output.mkdir(parents=True, exist_ok=True)
        probe = output / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise OutputError(f"Cannot write the model to {output}: {err.strerror or err}",
                          hint="Choose another --output directory") from err


def _trainer(progress: Progress | None):
    import pycrfsuite

    class Trainer(pycrfsuite.Trainer):
        """Reports each L-BFGS iteration through ``progress`` instead of printing CRFsuite's log."""

        def message(self, message):
            if self.logparser.feed(message) == "iteration" and progress:
                info = self.logparser.last_iteration
                progress(f"iteration {info.get('num')}: loss {info.get('loss', 0):,.1f}, "
                         f"{info.get('active_features', 0):,} active features, {info.get('time', 0):.1f} s")

    return Trainer(algorithm="lbfgs", verbose=False)


def train_segmenter(paths: list[Path], fmt: str, output: Path, config: str | Path | None = None, *,
                    dev: list[Path] | None = None, overrides: dict[str, Any] | None = None,
                    progress: Progress | None = None) -> dict[str, Any]:
    """Train a CRF segmenter on ``paths``, save it in ``output``; returns its meta (also meta.json)."""
    from underthesea_core import CRFFeaturizer

    started = time.perf_counter()
    settings = load_segmenter_config(config, overrides)
    _reader(fmt)
    output = Path(output)
    _writable(output)
    dictionary = model_dictionary(settings)
    featurizer = CRFFeaturizer(settings.templates, dictionary)
    trainer = _trainer(progress)
    try:
        trainer.set_params(settings.params)
    except ValueError as err:  # before featurizing, which takes minutes on a real corpus
        raise ConfigError(f"{settings.source} [training]: {err}",
                          hint="CRFsuite L-BFGS settings: c1, c2, max_iterations, period, delta, "
                               "num_memories, epsilon, linesearch, max_linesearch, feature_minfreq, ...") from err
    stats = ReadStats()
    batch: list[TaggedSentence] = []

    def flush() -> None:
        features = featurizer.process([[[s] for s in sentence.syllables] for sentence in batch])
        for xseq, sentence in zip(features, batch):
            trainer.append(xseq, sentence.tags)
        batch.clear()

    for sentence in read_sentences(paths, fmt, stats):
        batch.append(sentence)
        if len(batch) >= _BATCH:
            flush()
            if progress:
                progress(f"featurized {stats.sentences:,} sentences")
    flush()
    if not stats.sentences:
        raise GoldFormatError(f"No sentences in {', '.join(map(str, paths))}",
                              hint=f"Check the path and --format (one of: {', '.join(FORMATS)})")
    featurized = time.perf_counter()
    if progress:
        progress(f"training on {stats.sentences:,} sentences, {stats.syllables:,} syllables")
    trainer.train(str(output / "models.bin"))
    trained = time.perf_counter()
    with open(output / "features.bin", "wb") as f:
        pickle.dump(list(settings.templates), f)
    with open(output / "dictionary.bin", "wb") as f:
        pickle.dump(dictionary, f)
    meta = {
        "name": "vnpipe_segmenter", "version": __version__, "format": fmt,
        "data": [str(p) for p in paths], "data_sha256": file_hash(stats.files),
        "sentences": stats.sentences, "syllables": stats.syllables, "words": stats.words,
        "boundaries_inside_syllables": stats.boundaries_inside_syllables,
        "config": str(settings.source), "config_sha256": file_hash([settings.source]), "settings": settings.raw,
        "templates": settings.templates, "dictionary_words": len(dictionary),
        "seconds": {"featurize": round(featurized - started, 1), "train": round(trained - featurized, 1)},
    }
    if dev:
        meta["dev"] = dev_scores(output, dev, fmt)
    meta["seconds"]["total"] = round(time.perf_counter() - started, 1)
    (output / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return meta


def dev_scores(model_dir: Path, paths: list[Path], fmt: str) -> dict[str, Any]:
    """The segment stage with this model (and the configured lexicon) scored on ``paths``:
    what ``vnpipe evaluate segment PATH --segmenter DIR`` reports."""
    from .. import load
    from ..evaluate.segment import evaluate_segmentation

    nlp = load(None, {"segment.model": str(Path(model_dir).resolve())}, stages=["segment"])
    scores = {}
    for path in paths:
        report = evaluate_segmentation(path, fmt, nlp)
        scores[str(path)] = report.scores["vnpipe"].as_dict()
    return scores
