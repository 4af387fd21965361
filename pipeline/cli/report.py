"""vnpipe report: annotated JSONL as one self-contained HTML page."""
from __future__ import annotations

from pathlib import Path
from typing import List

from typer import Argument as Arg, Option as Opt

from ..errors import VnpipeError
from . import app
from ._common import fail, say


@app.command("report")
def report_command(
    inputs: List[str] = Arg(..., help="Annotated JSONL from `vnpipe run` (- for stdin).", show_default=False),
    output: Path = Opt(Path("report.html"), "--output", "-o", help="The HTML file to write."),
    title: str = Opt("vnpipe report", "--title", help="The page's title."),
    page_size: int = Opt(20, "--page-size", min=1, help="Documents drawn per page."),
) -> None:
    """One static HTML page, no network needed: entities highlighted by label, "person → position"
    relations, slogans with their theme, and a summary with the top names and a chart of themes.

      vnpipe run corpus/samples/ -o samples.jsonl && vnpipe report samples.jsonl -o report.html
    """
    from ..io.readers import read_annotated
    from ..report import render_report

    try:
        page = render_report(read_annotated(inputs), title=title, page_size=page_size)
    except VnpipeError as error:
        raise fail(error)
    output.write_text(page, encoding="utf-8")
    say("good", f"Wrote {output}", f"{len(page) / 1e6:.1f} MB")
