"""vnpipe segment: sentences and words, for pipes."""
from . import app
from ._common import pipeline_command

HELP = """Split into sentences and words (underthesea's CRF segmenter plus the domain lexicon).

Reads raw text, or JSONL written by vnpipe normalize (its blocks are kept); raw text is normalized first.

  vnpipe segment corpus/samples/01_nam-da-thi-dua.txt | jq -c '.tokens[].text'
"""

app.command("segment")(pipeline_command(["sentences", "segment"], HELP))
