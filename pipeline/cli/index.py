"""vnpipe index build: annotated JSONL into an embedded search index (SQLite + FTS5)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

from tqdm import tqdm
from typer import Argument as Arg, Option as Opt

from ..errors import VnpipeError
from . import index_app
from ._common import fail, say


@index_app.command("build")
def build_command(
    paths: List[str] = Arg(..., help="Annotated JSONL from vnpipe run: files, folders, globs, .gz, or - for stdin.",
                           show_default=False, metavar="ANNOTATED.jsonl..."),
    db: Path = Opt(Path("search.sqlite"), "--db", help="Index file; created when missing, updated when it exists."),
    batch_size: Optional[int] = Opt(None, "--batch-size", min=1,
                                    help="Documents per transaction (default: configs/search.toml [build])."),
    workers: int = Opt(1, "--workers", "-w", min=1,
                       help="Processes: 1 does everything in this one; N > 1 adds N-1 that parse and fold "
                            "records while this one writes (faster when a core is free)."),
    quiet: bool = Opt(False, "--quiet", "-q", help="No progress bar and no summary."),
) -> None:
    """Index annotated documents for vnpipe search. A document id already in the index is
    replaced; a killed build keeps every finished batch (run it again to complete).

      vnpipe run corpus/samples/ -o samples.jsonl && vnpipe index build samples.jsonl --db search.sqlite

      vnpipe index build 'out/*.jsonl.gz' --db search.sqlite --batch-size 1000
    """
    from ..search.build import build_index, build_settings

    try:
        with tqdm(desc="index", unit=" docs", file=sys.stderr, disable=quiet or not sys.stderr.isatty()) as bar:
            stats = build_index(paths, db, batch_size or build_settings()["batch_size"],
                                progress=lambda n: bar.update(n - bar.n), workers=workers)
    except VnpipeError as error:
        raise fail(error)
    if not quiet:
        say("good" if not stats.skipped else "warn",
            f"{stats.documents} documents ({stats.replaced} replaced, {stats.skipped} lines skipped), "
            f"{stats.entities} entities in {stats.seconds:.1f} s ({stats.documents_per_second:,.0f} docs/s); "
            f"{db}: {stats.db_bytes / 1e6:.1f} MB", "\n".join(stats.problems))
