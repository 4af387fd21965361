"""vnpipe corpus ...: build and check the project's annotated corpus."""
from __future__ import annotations

from pathlib import Path
from typing import List

import typer
from typer import Argument as Arg, Option as Opt

from ..config import PROJECT_DIR
from ..errors import VnpipeError
from . import corpus_app
from ._common import fail, say

NER_DIR = PROJECT_DIR / "corpus" / "ner"
SLOGANS_DIR = PROJECT_DIR / "corpus" / "slogans"


@corpus_app.command("build")
def build_command(
    src: Path = Opt(NER_DIR / "src", "--src", help="Folder of inline-annotated sources ([[text|LABEL]])."),
    out: Path = Opt(NER_DIR, "--out", help="Folder for train.jsonl, dev.jsonl, test.jsonl."),
    slogans: Path = Opt(SLOGANS_DIR, "--slogans", help="Slogan corpus folder (src/*.txt in, train/dev/test.jsonl out)."),
) -> None:
    """Turn corpus/ner/src/*.txt and corpus/slogans/src/*.txt into train/dev/test JSONL
    (split by a stable hash of each document id).

      vnpipe corpus build && vnpipe corpus validate
    """
    from .. import slogan_corpus
    from ..corpus import build

    try:
        for kind, counts, folder in (("entity", build(src, out), out),
                                     ("slogan", slogan_corpus.build(slogans / "src", slogans), slogans)):
            say("good", f"Wrote {sum(counts.values())} {kind} documents to {folder}",
                ", ".join(f"{k}: {v}" for k, v in counts.items()))
    except VnpipeError as error:
        raise fail(error)


@corpus_app.command("validate")
def validate_command(
    paths: List[Path] = Arg(None, help="Corpus JSONL files, or inline-annotated .txt sources "
                            "(default: corpus/ner/{train,dev,test}.jsonl).", show_default=False),
    max_problems: int = Opt(50, "--max-problems", help="How many problems to print."),
) -> None:
    """Check offsets, labels, overlaps and the mechanical rules of docs/annotation.md.

    Exit code 1 when anything is wrong.
    """
    from ..corpus import read_any, validate

    if not paths:
        validate_slogans()
    files = paths or [NER_DIR / f"{split}.jsonl" for split in ("train", "dev", "test")]
    try:
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise VnpipeError(f"Corpus file(s) not found: {', '.join(missing)}", hint="Run vnpipe corpus build first")
        records = (record for path in files for record in read_any(path))
        documents, entities, problems = validate(records)
    except VnpipeError as error:
        raise fail(error)
    for problem in problems[:max_problems]:
        typer.echo(problem, err=True)
    summary = f"{documents} documents, {entities} entities, {len(problems)} problems"
    if problems:
        say("fail", summary)
        raise typer.Exit(1)
    say("good", summary)


def validate_slogans(folder: Path = SLOGANS_DIR) -> None:
    """The slogan corpus: themes known, names unique, no quote marks or spaces at span edges."""
    from .. import slogan_corpus as sc

    try:
        files = [folder / f"{split}.jsonl" for split in ("train", "dev", "test")]
        documents, slogans, problems = sc.validate(sc.read_jsonl_records(files), sc.read_names(folder / "names"),
                                                   sc.load_themes())
    except (VnpipeError, OSError) as error:
        raise fail(error if isinstance(error, VnpipeError) else VnpipeError(str(error), hint="Run vnpipe corpus build"))
    for problem in problems[:50]:
        typer.echo(problem, err=True)
    if problems:
        say("fail", f"slogans: {documents} documents, {slogans} slogans, {len(problems)} problems")
        raise typer.Exit(1)
    say("good", f"slogans: {documents} documents, {slogans} slogans, 0 problems")
