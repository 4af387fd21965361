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


@train_app.command("classifier")
def train_classifier_command(
    train: List[Path] = Opt(..., "--train", help="JSONL examples, or a Label Studio JSON export with --choices (repeatable)."),
    output: Path = Opt(..., "--output", "-o", help="Where the model goes."),
    text_field: str = Opt("text", "--text-field", help="Field holding the text (dotted paths reach inside: data.text)."),
    label_field: str = Opt("label", "--label-field", help="Field holding the label, or a list of labels."),
    choices: Optional[str] = Opt(None, "--choices", help="Label Studio export: the labels are this control's choices."),
    cv: int = Opt(5, "--cv", min=0, help="Cross-validation folds reported before the final fit (0: none)."),
    c: float = Opt(10.0, "--C", help="Inverse regularisation strength of the logistic regression."),
) -> None:
    """Train a text classifier for your labels (several per text become a one-vs-rest model), as the slogan themes are.

      vnpipe train classifier --train topics.jsonl --text-field body --label-field topics -o models/topics

      vnpipe train classifier --train export.json --choices topic --text-field text -o models/topics
    """
    from ..train.classifier import train_classifier

    try:
        meta = train_classifier(list(train), output, text_field=text_field, label_field=label_field,
                                choices=choices, folds=cv, C=c, progress=lambda m: say("info", m))
    except VnpipeError as error:
        raise fail(error)
    kind = "multi-label" if meta["multi_label"] else "single-label"
    cv_scores = meta["cross_validation"]
    detail = (f"{cv}-fold macro-F1 {cv_scores['macro_f1']:.2%}, micro-F1 {cv_scores['micro_f1']:.2%}"
              if cv_scores else "no cross-validation")
    say("good", f"Saved {output}", f"{kind}, {len(meta['classes'])} classes, {meta['examples']} examples; {detail}")


@train_app.command("segmenter")
def train_segmenter_command(
    train: List[Path] = Opt(..., "--train", help="Word-segmented sentences: a file or folder (repeatable)."),
    fmt: str = Opt(..., "--format", "-f", help="vlsp2013 (words joined by _) or conllu."),
    output: Path = Opt(..., "--output", "-o", help="Where the model goes (created)."),
    dev: Optional[List[Path]] = Opt(None, "--dev", help="Gold in the same format, scored with the new model after training (repeatable)."),
    config: Path = Opt(PROJECT_DIR / "configs" / "segmenter.cfg", "--config", "-c", help="Templates, dictionary and CRF settings."),
    overrides: Optional[List[str]] = SET,
) -> None:
    """Train a CRF word segmenter (underthesea's model layout, the domain lexicon as dictionary features).

    Progress per L-BFGS iteration goes to stderr; meta.json records the data hash, the
    config and the dev scores. Use the model with --segmenter (or --set segment.model=DIR).

      vnpipe train segmenter --train ../shared/data/vlsp2013_ws/train --format vlsp2013 -o ws-vlsp2013

      vnpipe run article.txt --segmenter ws-vlsp2013
    """
    from ..train.segmenter import train_segmenter

    try:
        meta = train_segmenter(list(train), fmt, output, config, dev=list(dev or []),
                               overrides=parse_overrides(overrides or []), progress=lambda m: say("info", m))
    except VnpipeError as error:
        raise fail(error)
    detail = f"{meta['sentences']:,} sentences, {meta['syllables']:,} syllables, {meta['seconds']['total']:.0f} s"
    for path, scores in meta.get("dev", {}).items():
        detail += f"; dev {path}: F1 {scores['f1']:.2%}"
    say("good", f"Saved {output}", detail)
