"""Options and output shared by the commands that run the pipeline (run, normalize, segment)."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import List, Optional

import typer
from tqdm import tqdm
from typer import Argument as Arg, Option as Opt
from wasabi import Printer

from ..config import parse_overrides
from ..errors import VnpipeError
from ..runner import PipelineSpec, RunSummary, run

INPUTS = Arg(..., help="Files, folders (searched recursively), globs, or - for stdin. .txt = one document; .jsonl/.ndjson = one per line; .gz is read transparently.", show_default=False, metavar="INPUT...")
OUTPUT = Opt("-", "--output", "-o", help="Output JSONL file, or - for stdout. Written atomically (FILE.partial, renamed when done).")
CONFIG = Opt(None, "--config", "-c", help="Pipeline config (default: configs/pipeline.cfg).")
SET = Opt(None, "--set", help="Override a config value: section.key=value (repeatable).")
WORKERS = Opt(1, "--workers", "-w", min=1, help="Worker processes. Output order is input order either way.")
RESUME = Opt(False, "--resume", help="Skip ids already in the output (or its .partial) and in the errors file; append the rest.")
ERRORS = Opt(None, "--errors", help="JSONL file for documents that failed (default: OUTPUT.errors.jsonl; stderr when writing to stdout).")
TEXT_FIELD = Opt("text", "--text-field", help="JSONL field holding the text.")
ID_FIELD = Opt("id", "--id-field", help="JSONL field holding the document id (default id: path or path:line).")
INPUT_FORMAT = Opt("auto", "--input-format", help="auto (by file suffix; stdin: JSONL if it starts with '{'), txt or jsonl.")
BATCH_SIZE = Opt(16, "--batch-size", min=1, help="Documents per batch sent to a worker.")
ENGINE = Opt("processes", "--engine", help="processes: --workers processes on this machine. dask: a Dask cluster (pip install \"vnpipe[dask]\"), local with --workers processes unless --scheduler is given. See docs/scaling.md.")
SCHEDULER = Opt(None, "--scheduler", help="Dask scheduler address (tcp://HOST:8786) for --engine dask; the output must then be on storage the workers share.", metavar="ADDRESS")
PARTITION_SIZE = Opt(500, "--partition-size", min=1, help="Documents per Dask task (--engine dask). Each worker writes a partition's lines to OUTPUT.parts/, merged in input order; a failed partition is retried, never duplicated.")
DATE_FIELD = Opt("date", "--date-field", help="JSONL field holding the publication date: kept as meta.date, it dates the administrative units places link to (before or after the 2025 reorganisation).")
NER_MODEL = Opt(None, "--ner-model", help="An NER model from `vnpipe train ner` instead of models/ner (the same as --set entities.model=DIR).", metavar="DIR")
SEGMENTER = Opt(None, "--segmenter", help="A word segmenter from `vnpipe train segmenter` instead of underthesea's (the same as --set segment.model=DIR).", metavar="DIR")
QUIET = Opt(False, "--quiet", "-q", help="No progress bar and no summary.")


def pipeline_command(stages: Optional[List[str]], help_text: str):
    """A Typer command that runs ``stages`` (None = all) with the shared options above."""

    def command(
        inputs: List[str] = INPUTS, output: str = OUTPUT, config: Optional[str] = CONFIG,
        overrides: Optional[List[str]] = SET, workers: int = WORKERS, resume: bool = RESUME,
        errors: Optional[str] = ERRORS, text_field: str = TEXT_FIELD, id_field: str = ID_FIELD,
        input_format: str = INPUT_FORMAT, batch_size: int = BATCH_SIZE, engine: str = ENGINE,
        scheduler: Optional[str] = SCHEDULER, partition_size: int = PARTITION_SIZE, date_field: str = DATE_FIELD,
        ner_model: Optional[str] = NER_MODEL, segmenter: Optional[str] = SEGMENTER, quiet: bool = QUIET,
    ) -> None:
        overrides = with_model(with_model(overrides, "entities", ner_model), "segment", segmenter)
        execute(stages, inputs, output, config, overrides, workers, resume, errors, text_field, id_field,
                input_format, batch_size, quiet, engine, scheduler, partition_size, date_field)

    command.__doc__ = help_text
    return command


def with_model(overrides: Optional[List[str]], stage: str, model_dir: Optional[str]) -> List[str]:
    """``--set STAGE.model=DIR`` added for a ``--ner-model``-style option (the path made absolute,
    because the config resolves relative paths against configs/)."""
    overrides = list(overrides or [])
    if model_dir:
        overrides.append(f"{stage}.model={json.dumps(str(Path(model_dir).resolve()))}")
    return overrides


def execute(
    stages: Optional[List[str]],
    inputs: List[str],
    output: str,
    config: Optional[str],
    overrides: Optional[List[str]],
    workers: int,
    resume: bool,
    errors: Optional[str],
    text_field: str,
    id_field: str,
    input_format: str,
    batch_size: int,
    quiet: bool,
    engine: str = "processes",
    scheduler: Optional[str] = None,
    partition_size: int = 500,
    date_field: str = "date",
) -> None:
    """Run the pipeline (or some of its stages) and exit 0 (all done), 1 (some failed) or 130 (interrupted)."""
    try:
        spec = PipelineSpec(config, tuple(parse_overrides(overrides or []).items()), tuple(stages) if stages else None)
        with tqdm(
            desc="vnpipe", unit=" docs", file=sys.stderr, disable=quiet or not sys.stderr.isatty(), dynamic_ncols=True
        ) as bar:

            def progress(documents: int, syllables: int) -> None:
                bar.update(documents - bar.n)
                elapsed = bar.format_dict["elapsed"] or 1e-9
                bar.set_postfix_str(f"{syllables / elapsed:,.0f} syl/s", refresh=False)

            summary = run(
                inputs, output, spec=spec, workers=workers, resume=resume, errors_path=errors,
                text_field=text_field, id_field=id_field, input_format=input_format,
                batch_size=batch_size, progress=progress, engine=engine, scheduler=scheduler,
                partition_size=partition_size, date_field=date_field,
            )
    except VnpipeError as error:
        raise fail(error)
    if not quiet:
        report(summary)
    if summary.interrupted:
        raise typer.Exit(130)
    raise typer.Exit(1 if summary.errors else 0)


def fail(error: VnpipeError) -> typer.Exit:
    """Print a library error with its hint on stderr; the caller raises the returned Exit."""
    say("fail", error.message, error.hint or "")
    return typer.Exit(error.exit_code)


def report(summary: RunSummary) -> None:
    """The end-of-run summary, on stderr."""
    line = (
        f"{summary.documents} documents, {summary.syllables:,} syllables in {summary.seconds:.1f} s "
        f"({summary.syllables_per_second:,.0f} syllables/s), {summary.errors} errors"
    )
    if summary.skipped:
        line += f", {summary.skipped} skipped (already done)"
    if summary.interrupted:
        say("warn", "Interrupted: " + line, f"Partial output kept in {summary.output}.partial; re-run with --resume to finish.")
    elif summary.errors:
        say("warn", line, f"Failed documents are listed in {summary.errors_path or 'stderr'}")
    else:
        say("good", line)


_PRINTER = Printer(no_print=True)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def say(kind: str, title: str, text: str = "") -> None:
    """A wasabi message (good/info/warn/fail) on stderr: stdout may be the JSONL output."""
    message = getattr(_PRINTER, kind)(title, text)
    print(message if sys.stderr.isatty() else _ANSI.sub("", message), file=sys.stderr)
