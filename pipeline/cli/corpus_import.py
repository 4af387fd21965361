"""vnpipe corpus import / stats / split: bring other tools' corpora into the project's format."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from typer import Argument as Arg, Option as Opt
from wasabi import table

from ..errors import VnpipeError
from . import corpus_app
from ._common import fail, say


@corpus_app.command("import")
def import_command(
    fmt: str = Arg(..., metavar="FORMAT", help="vlsp2016, vlsp2018, conll (conll2003/iob/bioes), conllu, vlsp2013, "
                   "doccano, labelstudio or prodigy.", show_default=False),
    paths: List[Path] = Arg(..., metavar="PATH...", help="Files or folders (searched recursively).", show_default=False),
    output: str = Opt("-", "--output", "-o", help="Corpus JSONL file, or - for stdout."),
    label_map: Optional[str] = Opt(None, "--label-map", help="Rename labels: PERSON=PER,LOCATION=LOC (FROM= drops one)."),
    tag_column: Optional[int] = Opt(None, "--tag-column", help="conll: column of the NER tag (default: the last)."),
    token_column: Optional[int] = Opt(None, "--token-column", help="conll: column of the token (default: 0)."),
    allow_loss: bool = Opt(False, "--allow-loss", help="Exit 0 even if some entities could not be imported."),
    as_json: bool = Opt(False, "--json", help="Print the counts on stderr as JSON instead of a table."),
) -> None:
    """Convert an annotated corpus to the project's JSONL ({"id","text","spans","meta"}).
    Counts go to stderr; exit code 1 if any entity was lost or misaligned (unless --allow-loss).
    Formats and measured counts: docs/training.md.

    Examples:

      vnpipe corpus import vlsp2016 ../shared/data/vlsp2016_ner/test.txt -o vlsp2016-test.jsonl

      vnpipe corpus import vlsp2018 ../shared/data/vlsp2018_ner/VLSP2018-NER-dev -o dev.jsonl --label-map MISCELLANEOUS=

      vnpipe corpus import doccano export.jsonl --label-map PER=PERSON,LOC=LOCATION -o corpus.jsonl
    """
    from ..importers import ImportStats, import_corpus, parse_label_map, write_jsonl

    stats = ImportStats()
    try:
        records = import_corpus(fmt, paths, stats, parse_label_map(label_map), tag_column, token_column)
        write_jsonl(records, output)
    except VnpipeError as error:
        raise fail(error)
    print_counts(stats.as_dict(), as_json)
    if stats.lost_total:
        say("warn" if allow_loss else "fail", f"{stats.lost_total} entities lost",
            "; ".join(f"{reason}: {n}" for reason, n in stats.lost.most_common(5)))
        if not allow_loss:
            raise typer.Exit(1)
    else:
        say("good", f"Imported {stats.documents} documents, {sum(stats.entities.values())} entities, 0 lost",
            "" if output == "-" else output)


@corpus_app.command("stats")
def stats_command(
    paths: List[Path] = Arg(..., metavar="PATH...", help="Corpus JSONL files or inline .txt sources.", show_default=False),
    as_json: bool = Opt(False, "--json", help="Print one JSON object on stdout."),
) -> None:
    """Documents, tokens (a record's `tokens`, else whitespace-separated syllables) and
    entities per label of corpus files.

    Example:

      vnpipe corpus stats corpus/ner/train.jsonl corpus/ner/dev.jsonl --json
    """
    from ..corpus import corpus_stats, read_any

    try:
        counts = corpus_stats(record for path in paths for record in read_any(path))
    except (VnpipeError, OSError) as error:
        raise fail(error if isinstance(error, VnpipeError) else VnpipeError(str(error)))
    if as_json:
        typer.echo(json.dumps(counts, ensure_ascii=False))
    else:
        print_counts(counts, False, out=sys.stdout)


@corpus_app.command("split")
def split_command(
    path: Path = Arg(..., help="Corpus JSONL file.", show_default=False),
    output_dir: Path = Opt(..., "--output-dir", help="Folder for train.jsonl, dev.jsonl, test.jsonl.", show_default=False),
    dev: float = Opt(0.1, "--dev", min=0, max=1, help="Share of documents in dev."),
    test: float = Opt(0.1, "--test", min=0, max=1, help="Share of documents in test."),
    seed: int = Opt(0, "--seed", help="Another seed gives another (equally reproducible) split."),
) -> None:
    """Split a corpus into train/dev/test by a hash of each document id: the same id always
    lands in the same split, whatever the order or the other documents.

    Example:

      vnpipe corpus split corpus.jsonl --output-dir corpus/ --dev 0.1 --test 0.1 --seed 0
    """
    from ..corpus import read_jsonl, write_splits

    try:
        counts = write_splits(read_jsonl(path), output_dir, dev, test, seed)
    except (VnpipeError, OSError) as error:
        raise fail(error if isinstance(error, VnpipeError) else VnpipeError(str(error)))
    say("good", f"Wrote {sum(counts.values())} documents to {output_dir}", ", ".join(f"{k}: {v}" for k, v in counts.items()))


def print_counts(counts: dict, as_json: bool, out=None) -> None:
    """Documents, tokens, entities per label (and what was lost or repaired) as a table or JSON, on stderr."""
    out = out or sys.stderr
    if as_json:
        print(json.dumps(counts, ensure_ascii=False), file=out)
        return
    rows = [("documents", counts["documents"]), ("tokens", counts["tokens"])]
    rows += [(f"entities {label}", n) for label, n in counts["entities"].items()]
    rows += [("entities (all)", counts["entities_total"])]
    rows += [(f"nested {label}", n) for label, n in counts.get("nested", {}).items()]
    for key in ("lost", "quirks", "skipped_documents"):
        rows += [(f"{key.replace('_', ' ')}: {what}", n) for what, n in counts.get(key, {}).items()]
    print(table(rows, aligns=("l", "r"), max_col=90), file=out)
