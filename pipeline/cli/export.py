"""vnpipe export elasticsearch: annotated JSONL as _bulk NDJSON, an index mapping, or a push to a cluster."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

from tqdm import tqdm
from typer import Argument as Arg, Option as Opt

from ..errors import UsageError, VnpipeError
from . import export_app
from ._common import fail, say


@export_app.command("elasticsearch")
def export_elasticsearch_command(
    inputs: List[str] = Arg(None, help="Annotated JSONL from `vnpipe run` (- for stdin).", show_default=False),
    index: str = Opt("vnpipe", "--index", help="Index name written into each action line."),
    output: str = Opt("-", "--output", "-o", help="_bulk NDJSON file, or - for stdout."),
    mapping: Optional[Path] = Opt(None, "--mapping", help="Also write the index settings and mapping (JSON) here."),
    url: Optional[str] = Opt(None, "--url", help="Push to this cluster instead of writing NDJSON (needs the [es] extra)."),
    client: str = Opt("elasticsearch", "--client", help="elasticsearch or opensearch (for --url)."),
    failures: Path = Opt(Path("export-failures.jsonl"), "--failures", help="Where documents the cluster refused go (--url)."),
) -> None:
    """Documents, entities, people with their positions and slogans for Elasticsearch or OpenSearch.

    Ids are the document ids, so loading an export again replaces documents instead of adding copies.

      vnpipe export elasticsearch out.jsonl --index news -o bulk.ndjson --mapping mapping.json

      curl -XPUT localhost:9200/news -H 'Content-Type: application/json' -d @mapping.json

      curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' --data-binary @bulk.ndjson

      vnpipe export elasticsearch out.jsonl --index news --url http://localhost:9200
    """
    from ..export.elasticsearch import index_mapping, push, write_bulk
    from ..io.readers import read_annotated

    try:
        if mapping:
            mapping.write_text(json.dumps(index_mapping(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if not inputs:
            if mapping:
                return say("good", f"Wrote the mapping to {mapping}")
            raise fail(UsageError("No input files", hint="Name the annotated JSONL files, or - for stdin"))
        records = read_annotated(inputs)
        if url:
            with tqdm(desc="export", unit=" docs", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
                counts = push(records, url, index, client=client, failures_path=failures, progress=bar.update)
            say("good" if not counts["failed"] else "warn", f"{counts['indexed']} indexed, {counts['failed']} failed",
                f"Refused documents are in {failures}" if counts["failed"] else "")
            raise SystemExit(1 if counts["failed"] else 0)
        stream = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
        try:
            count = write_bulk(records, index, stream)
        finally:
            if stream is not sys.stdout:
                stream.close()
        say("good", f"{count} documents for index {index!r}", "" if output == "-" else f"in {output}")
    except VnpipeError as error:
        raise fail(error)
