"""The ``vnpipe`` command line: one module per command, each a thin layer over the library.

Library code raises :mod:`pipeline.errors`; :func:`main` turns those into a
message on stderr and an exit code (2 for usage errors, 1 otherwise).
"""
from __future__ import annotations

import sys

import typer
from ..errors import VnpipeError

app = typer.Typer(
    name="vnpipe",
    help="Vietnamese NLP pipeline for government and political news: raw text in, annotated JSONL out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
evaluate_app = typer.Typer(help="Score vnpipe against gold annotations.", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")
corpus_app = typer.Typer(help="Build and check the annotated corpus (corpus/ner).", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
train_app = typer.Typer(help="Rebuild a model from a corpus and a config.", no_args_is_help=True)
app.add_typer(train_app, name="train")
export_app = typer.Typer(help="Annotated documents for search engines (Elasticsearch, OpenSearch).", no_args_is_help=True)
app.add_typer(export_app, name="export")

# Each import registers its command on ``app`` (Typer's one-file-per-command layout).
from . import run, normalize, segment, evaluate, corpus, train  # noqa: E402,F401
from . import corpus_import  # noqa: E402,F401
from . import export, report  # noqa: E402,F401
from ._common import fail  # noqa: E402


def main() -> None:
    try:
        app()
    except VnpipeError as error:  # raised outside a command's own handling
        fail(error)
        sys.exit(error.exit_code)

index_app = typer.Typer(help="Build the embedded search index (SQLite + FTS5) that vnpipe search queries.", no_args_is_help=True)
app.add_typer(index_app, name="index")
from . import index, search  # noqa: E402,F401
