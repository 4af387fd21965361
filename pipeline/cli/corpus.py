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


@corpus_app.command("build")
def build_command(
    src: Path = Opt(NER_DIR / "src", "--src", help="Folder of inline-annotated sources ([[text|LABEL]])."),
    out: Path = Opt(NER_DIR, "--out", help="Folder for train.jsonl, dev.jsonl, test.jsonl."),
) -> None:
    """Turn corpus/ner/src/*.txt into train/dev/test JSONL (split by a stable hash of each id).

      vnpipe corpus build && vnpipe corpus validate
    """
    from ..corpus import build

    try:
        counts = build(src, out)
    except VnpipeError as error:
        raise fail(error)
    say("good", f"Wrote {sum(counts.values())} documents to {out}", ", ".join(f"{k}: {v}" for k, v in counts.items()))


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
