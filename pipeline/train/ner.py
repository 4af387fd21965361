"""Train the NER model from the project's corpus (or a user's) with a spaCy config.

``vnpipe train ner --config configs/ner.cfg --output models/ner`` converts the
corpus JSONL (``{"text", "spans": [{"start","end","label"}]}``) into spaCy
DocBins with vnpipe's tokenizer, trains with the config's fixed seed, and writes
the best model with extra meta: corpus hashes, the config, alignment counts and
scores.
"""
from __future__ import annotations

import contextlib
import json
import shutil
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .. import __version__
from ..config import PROJECT_DIR, resolve_path
from ..entity_rules import HEADS_FILE, TAILS_FILE, learn_place_heads, learn_span_tails
from ..errors import ConfigError, GoldFormatError
from ..resources import file_hash


@dataclass
class ConversionStats:
    documents: int = 0
    entities: int = 0
    misaligned: int = 0  # spans whose edges fall inside a vnpipe word
    words: Counter = field(default_factory=Counter)  # how often each word (token text) occurs


# Words whose spaCy lexemes the entities stage creates once at load (spacy_bridge.keep_lexemes):
# on 300 news articles the 5,000 most frequent training words cut building the spaCy Docs from
# 1.49 s to 0.50 s, for 0.13 s at load.
COMMON_WORDS = 5000


def _shown(path: str | Path) -> str:
    """A corpus path for the model's meta: relative to the project when inside it, so the
    same training on another machine writes the same meta."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_DIR.resolve()))
    except ValueError:
        return str(path)


def training_config(config_path: Path, tmp_dir: Path) -> tuple[Path, list[Path]]:
    """The spaCy config to train with (written to ``tmp_dir``) and the files it is made of.

    A config may name another in ``[vnpipe] base`` and hold only what differs from it
    (configs/ner_fast.cfg is configs/ner.cfg with a narrower tok2vec), so a change to the
    base reaches both models.
    """
    from spacy.util import load_config

    if not config_path.is_file():
        raise ConfigError(f"Training config not found: {config_path}")
    config = load_config(config_path, interpolate=False)
    base = config.get("vnpipe", {}).get("base")
    if not base:
        return config_path, [config_path]
    base_path = resolve_path(str(base), config_path.parent)
    if not base_path.is_file():
        raise ConfigError(f"{config_path} names a base config that does not exist: {base_path}",
                          hint="[vnpipe] base is a path relative to the config that names it")
    changes = {section: values for section, values in config.items() if section != "vnpipe"}
    merged = tmp_dir / "config.cfg"
    load_config(base_path, interpolate=False).merge(changes).to_disk(merged)
    return merged, [base_path, config_path]


def composed(record: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The record's text in NFC (the tokenizer's contract) with its spans moved to match.

    Annotation tools often save decomposed Vietnamese ("a" + combining marks); each
    stretch between span edges is composed on its own, so the edges stay put.
    """
    text, spans = record["text"], record.get("spans", [])
    if unicodedata.is_normalized("NFC", text):
        return text, spans

    def past_marks(edge: int) -> int:  # never cut a letter from its combining marks
        while edge < len(text) and unicodedata.combining(text[edge]):
            edge += 1
        return edge

    edges = sorted({0, len(text), *(past_marks(e) for s in spans for e in (s["start"], s["end"]))})
    pieces, moved, length = [], {}, 0
    for left, right in zip(edges, edges[1:]):
        moved[left] = length
        pieces.append(unicodedata.normalize("NFC", text[left:right]))
        length += len(pieces[-1])
    moved[len(text)] = length
    return "".join(pieces), [{**s, "start": moved[past_marks(s["start"])], "end": moved[past_marks(s["end"])]}
                             for s in spans]


def records_to_docbin(nlp, records: Iterable[dict[str, Any]]):
    """A DocBin of gold docs; spans that do not fall on word boundaries are snapped inward and counted."""
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    stats = ConversionStats()
    docbin = DocBin(store_user_data=False)
    for record in records:
        text, record_spans = composed(record)
        doc = nlp.make_doc(text)
        spans = []
        for span in record_spans:
            stats.entities += 1
            entity = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="strict")
            if entity is None:
                stats.misaligned += 1
                entity = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="contract")
            if entity is not None:
                spans.append(entity)
        doc.ents = filter_spans(spans)
        stats.words.update(token.text for token in doc)
        docbin.add(doc)
        stats.documents += 1
    return docbin, stats


def read_records(paths: Iterable[Path]) -> list[dict[str, Any]]:
    from ..corpus import read_jsonl

    records = []
    for path in paths:
        if not Path(path).is_file():
            raise GoldFormatError(f"Training data not found: {path}", hint="Run vnpipe corpus build first")
        records.extend(read_jsonl(Path(path)))
    return records


def train_ner(
    config_path: Path,
    output: Path,
    train_paths: list[Path],
    dev_paths: list[Path],
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Train and write the best model to ``output``; returns its meta."""
    import spacy
    from spacy.cli.train import train as spacy_train

    from .. import spacy_bridge  # (also registers the tokenizer)

    with tempfile.TemporaryDirectory(prefix="vnpipe-train-") as tmp:
        tmp_dir = Path(tmp)
        spacy_config, config_files = training_config(config_path, tmp_dir)
        nlp = spacy.util.load_model_from_config(spacy.util.load_config(spacy_config), auto_fill=True, validate=False)
        train_records, dev_records = read_records(train_paths), read_records(dev_paths)
        report = {}
        for name, records in (("train", train_records), ("dev", dev_records)):
            docbin, stats = records_to_docbin(nlp, records)
            docbin.to_disk(tmp_dir / f"{name}.spacy")
            report[name] = stats
            print(f"{name}: {stats.documents} documents, {stats.entities} entities, "
                  f"{stats.misaligned} not on word boundaries", file=sys.stderr)
        settings = {"paths.train": str(tmp_dir / "train.spacy"), "paths.dev": str(tmp_dir / "dev.spacy")}
        settings.update(overrides or {})
        with contextlib.redirect_stdout(sys.stderr):  # spaCy's training log goes to stdout
            spacy_train(spacy_config, tmp_dir / "out", use_gpu=-1, overrides=settings)
        best = tmp_dir / "out" / "model-best"
        # the saved config names the temporary DocBins: say null instead, so that a retrained model is
        # byte-identical (the corpus files are in meta.vnpipe)
        config_text = (best / "config.cfg").read_text(encoding="utf-8")
        for name in ("train", "dev"):
            config_text = config_text.replace(f'"{tmp_dir / (name + ".spacy")}"', "null")
        (best / "config.cfg").write_text(config_text, encoding="utf-8")
        meta_path = best / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.update(
            name="vnpipe_ner",
            version=__version__,  # the vnpipe that trained it; the corpus hash below tells data apart
            vnpipe={
                "config": config_path.name,
                "config_sha256": file_hash(config_files),
                "train": [_shown(p) for p in train_paths],
                "dev": [_shown(p) for p in dev_paths],
                "corpus_sha256": file_hash([Path(p) for p in [*train_paths, *dev_paths]]),
                "alignment": {k: {"documents": v.documents, "entities": v.entities, "misaligned": v.misaligned}
                              for k, v in report.items()},
            },
        )
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        # span endings the entities stage may keep (pipeline/entity_rules.py SpanTails)
        (best / TAILS_FILE).write_text(json.dumps(learn_span_tails(train_records), ensure_ascii=False, indent=0),
                                       encoding="utf-8")
        (best / HEADS_FILE).write_text(json.dumps(learn_place_heads(train_records), ensure_ascii=False, indent=0),
                                       encoding="utf-8")
        common = [word for word, _ in report["train"].words.most_common(COMMON_WORDS)]
        (best / spacy_bridge.COMMON_WORDS_FILE).write_text(json.dumps(common, ensure_ascii=False, indent=0), encoding="utf-8")
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(best, output)
    return meta
