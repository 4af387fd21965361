"""vnpipe evaluate ...: score the pipeline against gold annotations."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer
from typer import Argument as Arg, Option as Opt

from ..config import PROJECT_DIR, parse_overrides
from ..errors import VnpipeError
from . import evaluate_app
from ._common import CONFIG, NER_MODEL, SEGMENTER, SET, fail, with_model


@evaluate_app.command("segment")
def evaluate_segment(
    path: str = Arg(..., help="Gold file or folder (VLSP 2013 .pos/.seg files, or .conllu).", show_default=False),
    fmt: str = Opt("vlsp2013", "--format", "-f", help="Gold format: vlsp2013 or conllu."),
    compare: List[str] = Opt([], "--compare", help="Also score a baseline on the same text: underthesea."),
    config: Optional[str] = CONFIG,
    overrides: Optional[List[str]] = SET,
    segmenter: Optional[str] = SEGMENTER,
    as_json: bool = Opt(False, "--json", help="Print the scores as one JSON object."),
) -> None:
    """Word-segmentation precision, recall and F1 (a word counts when both boundaries match).

      vnpipe evaluate segment ../shared/data/vlsp2013_ws/test --format vlsp2013 --compare underthesea

      vnpipe evaluate segment ../shared/data/vlsp2013_ws/test --segmenter ws-vlsp2013
    """
    from .. import load
    from ..evaluate.segment import evaluate_segmentation

    try:
        nlp = load(config, parse_overrides(with_model(overrides, "segment", segmenter)), stages=["segment"])
        report = evaluate_segmentation(path, fmt, nlp, compare=compare)
    except VnpipeError as error:
        raise fail(error)
    if as_json:
        payload = {name: dict(s.as_dict(), seconds=round(report.seconds[name], 2)) for name, s in report.scores.items()}
        typer.echo(json.dumps({"gold": report.gold_path, "format": fmt, "scores": payload}, ensure_ascii=False))
        return
    typer.echo(f"{report.gold_path} ({fmt}): {report.syllables:,} syllables")
    typer.echo(f"{'system':<12} {'P':>7} {'R':>7} {'F1':>7} {'syl/s':>9}")
    for name, score in report.scores.items():
        speed = report.syllables / report.seconds[name] if report.seconds[name] else 0
        typer.echo(f"{name:<12} {score.precision:7.2%} {score.recall:7.2%} {score.f1:7.2%} {speed:9,.0f}")


@evaluate_app.command("ner")
def evaluate_ner_command(
    gold: str = Opt(..., "--gold", help="Gold file or folder.", show_default=False),
    fmt: str = Opt("jsonl", "--format", "-f", help="jsonl (vnpipe corpus), vlsp2016 or vlsp2018."),
    compare: List[str] = Opt([], "--compare", help="Also score a baseline on the same texts: underthesea (VLSP formats)."),
    config: Optional[str] = CONFIG,
    overrides: Optional[List[str]] = SET,
    ner_model: Optional[str] = NER_MODEL,
    as_json: bool = Opt(False, "--json", help="Print the scores as one JSON object."),
) -> None:
    """Exact-match entity P/R/F1 per label and micro (VLSP formats: PER/LOC/ORG, POSITION ignored).

      vnpipe evaluate ner --gold corpus/ner/test.jsonl

      vnpipe evaluate ner --gold ../shared/data/vlsp2016_ner/test.txt --format vlsp2016 --compare underthesea

      vnpipe evaluate ner --gold ../shared/data/vlsp2016_ner/test.txt --format vlsp2016 --ner-model my-model
    """
    from .. import load
    from ..evaluate.ner import evaluate_ner

    try:
        nlp = load(config, parse_overrides(with_model(overrides, "entities", ner_model)), stages=["entities"])
        report = evaluate_ner(gold, fmt, nlp, compare=compare)
    except VnpipeError as error:
        raise fail(error)
    tables = {name: scores.table() for name, scores in report.scores.items()}
    if as_json:
        typer.echo(json.dumps({"gold": report.gold_path, "format": fmt, "documents": report.documents,
                               "scores": tables, "seconds": report.seconds}, ensure_ascii=False))
        return
    typer.echo(f"{report.gold_path} ({fmt}): {report.documents:,} documents")
    for name, table in tables.items():
        typer.echo(f"\n{name} ({report.seconds[name]:.1f} s)")
        typer.echo(f"{'label':<14} {'P':>7} {'R':>7} {'F1':>7} {'gold':>7} {'pred':>7}")
        for label, row in table.items():
            typer.echo(f"{label:<14} {row['precision']:7.2%} {row['recall']:7.2%} {row['f1']:7.2%} "
                       f"{row['gold']:7} {row['predicted']:7}")


SLOGANS_DIR = PROJECT_DIR / "corpus" / "slogans"


@evaluate_app.command("slogans")
def evaluate_slogans_command(
    gold: Path = Opt(SLOGANS_DIR / "test.jsonl", "--gold", help="Gold slogan JSONL (vnpipe corpus build writes it)."),
    names: Optional[Path] = Opt(SLOGANS_DIR / "names", "--names", help="Movement-name lists (*.tsv) to score themes on."),
    split: str = Opt("test", "--split", help="Which split of the names to score (train, dev, test)."),
    config: Optional[str] = CONFIG,
    overrides: Optional[List[str]] = SET,
    cv: int = Opt(0, "--cv", help="Also cross-validate the theme classifier with this many folds on train+dev."),
    errors: int = Opt(0, "--errors", help="Print this many documents where detection differs from the gold."),
    as_json: bool = Opt(False, "--json", help="Print the report as one JSON object."),
) -> None:
    """Slogan detection P/R/F1 (exact spans) and theme accuracy, macro-F1 and confusion matrix.

      vnpipe evaluate slogans                      # held-out test split

      vnpipe evaluate slogans --cv 5               # plus 5-fold cross-validated themes
    """
    from dataclasses import asdict

    from .. import load
    from ..evaluate.slogans import cross_validated_themes, evaluate_slogans

    try:
        nlp = load(config, parse_overrides(overrides or []), stages=["slogans"])
        report = evaluate_slogans(gold, nlp, names, split)
        stage = next(s for s in nlp.stages if s.name == "slogans")
        folds = [SLOGANS_DIR / "train.jsonl", SLOGANS_DIR / "dev.jsonl"]
        crossed = cross_validated_themes(stage.model_dir, names, folds, cv) if cv and names else None
    except VnpipeError as error:
        raise fail(error)
    if as_json:
        typer.echo(json.dumps({**asdict(report), "themes_cross_validated": crossed}, ensure_ascii=False))
        return
    d = report.detection
    typer.echo(f"{report.gold_path}: {report.documents} documents, {d['gold']} gold slogans")
    typer.echo(f"detection       P {d['precision']:.2%}  R {d['recall']:.2%}  F1 {d['f1']:.2%}  (predicted {d['predicted']})")
    tables = [("themes, found slogans", report.themes_in_context), (f"themes, {split} names", report.themes_of_names)]
    if crossed:
        tables.append((f"themes, {cv}-fold CV", crossed))
    for title, table in tables:
        if table.get("examples"):
            typer.echo(f"{title:<22} accuracy {table['accuracy']:.2%}  macro-F1 {table['macro_f1']:.2%}  "
                       f"({table['examples']} examples)")
            print_confusion(table)
    for error in report.errors[:errors]:
        typer.echo(f"{error['id']}: missed {error['missed']} spurious {error['spurious']}", err=True)


def print_confusion(table: dict) -> None:
    """A confusion matrix with short column heads (rows: gold, columns: predicted)."""
    labels = table["labels"]
    typer.echo("  gold \\ predicted " + " ".join(f"{label[:5]:>5}" for label in labels))
    for label, row in zip(labels, table["confusion"]):
        typer.echo(f"  {label:<17} " + " ".join(f"{n:5}" for n in row))


@evaluate_app.command("relations")
def evaluate_relations_command(
    gold: Path = Opt(PROJECT_DIR / "corpus" / "ner" / "test.jsonl", "--gold",
                     help="Corpus JSONL; documents from files marked '#! relations' are scored."),
    config: Optional[str] = CONFIG,
    overrides: Optional[List[str]] = SET,
    errors: int = Opt(0, "--errors", help="Print this many documents where the rules (on gold entities) differ."),
    as_json: bool = Opt(False, "--json", help="Print the report as one JSON object."),
) -> None:
    """HOLDS (person holds position) P/R/F1, on gold entities and end to end.

      vnpipe evaluate relations                    # held-out test split
    """
    from dataclasses import asdict

    from .. import load
    from ..evaluate.relations import evaluate_relations

    try:
        report = evaluate_relations(gold, load(config, parse_overrides(overrides or []), stages=["relations"]))
    except VnpipeError as error:
        raise fail(error)
    if as_json:
        typer.echo(json.dumps(asdict(report), ensure_ascii=False))
        return
    typer.echo(f"{report.gold_path}: {report.documents} relation-annotated documents")
    for name, row in report.scores.items():
        typer.echo(f"{name:<14} P {row['precision']:.2%}  R {row['recall']:.2%}  F1 {row['f1']:.2%}  "
                   f"(gold {row['gold']}, predicted {row['predicted']})")
    for error in report.errors[:errors]:
        typer.echo(f"{error['id']}: missed {error['missed']} spurious {error['spurious']}", err=True)


@evaluate_app.command("links")
def evaluate_links_command(
    gold: Path = Opt(PROJECT_DIR / "corpus" / "ner", "--gold",
                     help="Corpus JSONL file or folder; places marked [[L|LOCATION@code]] are scored."),
    config: Optional[str] = CONFIG,
    overrides: Optional[List[str]] = SET,
    errors: int = Opt(0, "--errors", help="Print this many wrongly linked places."),
    as_json: bool = Opt(False, "--json", help="Print the report as one JSON object."),
) -> None:
    """Accuracy of linking places to administrative units, on gold entities.

      vnpipe evaluate links                        # every annotated split

      vnpipe evaluate links --gold corpus/ner/test.jsonl
    """
    from dataclasses import asdict

    from .. import load
    from ..evaluate.links import evaluate_links

    try:
        report = evaluate_links(gold, load(config, parse_overrides(overrides or []), stages=["relations", "places"]))
    except VnpipeError as error:
        raise fail(error)
    if as_json:
        typer.echo(json.dumps({**asdict(report), "accuracy": round(report.accuracy, 4)}, ensure_ascii=False))
        return
    typer.echo(f"{report.gold_path}: {report.documents} documents with linked places")
    typer.echo(f"accuracy {report.accuracy:.2%} ({report.correct} of {report.places} places whose unit is in the data; "
               f"{report.ambiguous} left as candidates)")
    typer.echo(f"not units: {report.not_units}, wrongly linked: {report.false_links}")
    for error in report.errors[:errors]:
        typer.echo(f"{error['id']}: {error['place']!r} gold {error['gold']} found {error['found']}", err=True)
