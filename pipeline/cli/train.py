"""vnpipe train ...: rebuild a model from a corpus and a config."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

from typer import Option as Opt

from ..config import PROJECT_DIR, parse_overrides
from ..errors import VnpipeError
from . import train_app
from ._common import SET, fail, say

NER_DIR = PROJECT_DIR / "corpus" / "ner"


@train_app.command("ner")
def train_ner_command(
    config: Path = Opt(PROJECT_DIR / "configs" / "ner.cfg", "--config", "-c", help="spaCy training config."),
    output: Path = Opt(PROJECT_DIR / "models" / "ner", "--output", "-o", help="Where the trained model goes."),
    train: List[Path] = Opt([NER_DIR / "train.jsonl"], "--train", help="Corpus JSONL for training (repeatable)."),
    dev: List[Path] = Opt([NER_DIR / "dev.jsonl"], "--dev", help="Corpus JSONL for model selection (repeatable)."),
    overrides: Optional[List[str]] = SET,
) -> None:
    """Train the NER model (PERSON, POSITION, ORGANIZATION, LOCATION by default: whatever labels the corpus has).

    Deterministic for a given corpus and config (the config fixes the seed); the model's
    meta.json records the corpus hash, the config hash and the scores.

      vnpipe corpus build && vnpipe train ner --output models/ner
    """
    from ..train.ner import train_ner

    try:
        meta = train_ner(config, output, list(train), list(dev), parse_overrides(overrides or []))
    except VnpipeError as error:
        raise fail(error)
    scores = meta.get("performance", {})
    say("good", f"Saved {output}", f"dev ents_f {scores.get('ents_f', 0):.3f}")


@train_app.command("slogans")
def train_slogans_command(
    config: Path = Opt(PROJECT_DIR / "configs" / "slogans.cfg", "--config", "-c", help="Slogan training config."),
    output: Path = Opt(PROJECT_DIR / "models" / "slogans", "--output", "-o", help="Where the trained model goes."),
    overrides: Optional[List[str]] = SET,
) -> None:
    """Rebuild the slogan model: the known-names lexicon and the theme classifier.

    Chooses the classifier's regularisation by stratified k-fold cross-validation on the
    train and dev splits (names and context slogans), refits, and records the
    cross-validated accuracy, macro-F1 and confusion matrix in meta.json.

      vnpipe corpus build && vnpipe train slogans && vnpipe evaluate slogans
    """
    from ..train.slogans import train_slogans

    try:
        meta = train_slogans(config, output, parse_overrides(overrides or []), progress=lambda m: say("info", m))
    except VnpipeError as error:
        raise fail(error)
    best = meta["cross_validation_best"]
    say("good", f"Saved {output}", f"C={best['C']}: cross-validated accuracy {best['accuracy']:.2%}, "
                                    f"macro-F1 {best['macro_f1']:.2%} over {best['examples']} names")
