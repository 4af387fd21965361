"""vnpipe normalize: only the normalize stage (NFC, blocks), for pipes."""
from . import app
from ._common import pipeline_command

HELP = """NFC-compose the text and mark its blocks (title, paragraph, caption, byline, boilerplate).

Writes the same JSONL as vnpipe run with only blocks filled in; pipe it into vnpipe segment to go on:

  vnpipe normalize article.txt | vnpipe segment - -o words.jsonl
"""

app.command("normalize")(pipeline_command(["normalize"], HELP))
