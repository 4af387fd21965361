"""vnpipe run: the whole pipeline over files, folders or stdin."""
from . import app
from ._common import pipeline_command

HELP = """Annotate raw Vietnamese text with every configured stage; write one JSON object per document.

Examples:

  vnpipe run corpus/samples/ -o samples.jsonl

  vnpipe run 'archive/**/*.jsonl.gz' --text-field body --workers 4 -o out.jsonl --resume

  cat article.txt | vnpipe run - | jq .tokens

  vnpipe run big.jsonl --engine dask --workers 2 -o out.jsonl

  vnpipe run /shared/in.jsonl --engine dask --scheduler tcp://HOST:8786 --partition-size 500 -o /shared/out.jsonl --resume

Ctrl-C stops cleanly (the .partial output stays valid JSONL); --resume finishes a killed or interrupted run.
See docs/scaling.md for clusters.

Exit code: 0 all documents done, 1 some failed (listed in --errors), 2 usage error, 130 interrupted.
"""

app.command("run")(pipeline_command(None, HELP))
