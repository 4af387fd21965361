"""vnpipe evaluate ...: score the pipeline against gold annotations."""
from __future__ import annotations

import json
from typing import List, Optional

import typer
from typer import Argument as Arg, Option as Opt

from ..config import parse_overrides
from ..errors import VnpipeError
from . import evaluate_app
from ._common import CONFIG, SET, fail


@evaluate_app.command("segment")
def evaluate_segment(
    path: str = Arg(..., help="Gold file or folder (VLSP 2013 .pos/.seg files, or .conllu).", show_default=False),
    fmt: str = Opt("vlsp2013", "--format", "-f", help="Gold format: vlsp2013 or conllu."),
    compare: List[str] = Opt([], "--compare", help="Also score a baseline on the same text: underthesea."),
    config: Optional[str] = CONFIG,
    overrides: Optional[List[str]] = SET,
    as_json: bool = Opt(False, "--json", help="Print the scores as one JSON object."),
) -> None:
    """Word-segmentation precision, recall and F1 (a word counts when both boundaries match).

      vnpipe evaluate segment ../shared/data/vlsp2013_ws/test --format vlsp2013 --compare underthesea
    """
    from .. import load
    from ..evaluate.segment import evaluate_segmentation

    try:
        nlp = load(config, parse_overrides(overrides or []), stages=["segment"])
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
    as_json: bool = Opt(False, "--json", help="Print the scores as one JSON object."),
) -> None:
    """Exact-match entity P/R/F1 per label and micro (VLSP formats: PER/LOC/ORG, POSITION ignored).

      vnpipe evaluate ner --gold corpus/ner/test.jsonl

      vnpipe evaluate ner --gold ../shared/data/vlsp2016_ner/test.txt --format vlsp2016 --compare underthesea
    """
    from .. import load
    from ..evaluate.ner import evaluate_ner

    try:
        nlp = load(config, parse_overrides(overrides or []), stages=["entities"])
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
