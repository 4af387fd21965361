"""vnpipe run: the whole pipeline over files, folders or stdin."""
from . import app
from ._common import pipeline_command

HELP = """Annotate raw Vietnamese text with every configured stage; write one JSON object per document.

Examples:

  vnpipe run corpus/samples/ -o samples.jsonl

  vnpipe run 'archive/**/*.jsonl.gz' --text-field body --workers 4 -o out.jsonl --resume

  cat article.txt | vnpipe run - | jq .tokens

Exit code: 0 all documents done, 1 some failed (listed in --errors), 2 usage error, 130 interrupted.
"""

app.command("run")(pipeline_command(None, HELP))
