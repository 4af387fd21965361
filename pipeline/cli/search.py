"""vnpipe search: documents, snippets and matching entities from an index built by vnpipe index build."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from typer import Argument as Arg, Option as Opt

from ..errors import VnpipeError
from . import app
from ._common import fail

BOLD, RESET = "\x1b[1m", "\x1b[0m"


@app.command("search")
def search_command(
    query: str = Arg("", help="Words to find; case, diacritics and tone style are ignored, one typo in a name is forgiven.",
                     show_default=False),
    db: Path = Opt(Path("search.sqlite"), "--db", help="Index built by vnpipe index build."),
    label: Optional[str] = Opt(None, "--label", help="Only documents where the query matches an entity of this label: PERSON, POSITION, ORGANIZATION or LOCATION."),
    person: Optional[str] = Opt(None, "--person", help="Only documents with this person."),
    position: Optional[str] = Opt(None, "--position", help="Only documents with this office (held by --person when given)."),
    place: Optional[str] = Opt(None, "--place", help="Only documents with this place, a place inside it, or this admin code."),
    theme: Optional[str] = Opt(None, "--theme", help="Only documents with a slogan of this theme (economy, new_rural...) or these words."),
    limit: int = Opt(10, "--limit", "-n", min=0, help="Most hits (or facet values) to show."),
    as_json: bool = Opt(False, "--json", help="One JSON object per line: id, score, snippet, highlights, entities."),
    show_facets: bool = Opt(False, "--facets", help="List the top people, positions, places and themes instead."),
) -> None:
    """Search an index of annotated documents.

      vnpipe search "ngo duc trong" --db search.sqlite

      vnpipe search "chuyển đổi số" --place "Bình Phước" --limit 5 --json

      vnpipe search --person "Trần Quốc Huy" --position "phó bí thư"

      vnpipe search --facets --db search.sqlite
    """
    from ..search import Filters, facets, search

    try:
        if show_facets:
            return print_facets(facets(db, limit), as_json)
        hits = search(db, query, Filters(label, person, position, place, theme), limit)
    except VnpipeError as error:
        raise fail(error)
    bold = sys.stdout.isatty() and not as_json
    for rank, hit in enumerate(hits, 1):
        if as_json:
            typer.echo(json.dumps(hit.to_dict(), ensure_ascii=False))
            continue
        snippet = hit.snippet.replace("«", BOLD).replace("»", RESET) if bold else hit.snippet
        typer.echo(f"{rank}. {hit.id}  (score {hit.score:.2f})\n   {snippet}")
        if hit.entities:
            typer.echo("   " + "; ".join(f"{e['label']} {e['text']}" + (f" ×{e['mentions']}" if e["mentions"] > 1 else "")
                                         for e in hit.entities))
    if not hits and not as_json:
        typer.echo("No documents found.", err=True)


def print_facets(values: dict, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(values, ensure_ascii=False))
        return
    for facet, rows in values.items():
        typer.echo(f"{facet}:")
        for row in rows:
            extra = f" [{row['code']}]" if row.get("code") else ""
            typer.echo(f"  {row['documents']:>6}  {row['name']}{extra}")
