"""The slogan corpus: movement names with themes, and context documents with slogan spans.

- ``corpus/slogans/names/*.tsv``: ``THEME<TAB>NAME`` per line (``#`` comments);
  names are facts (real movements and their provincial variants).
- ``corpus/slogans/src/*.txt``: documents written by the project, slogans inline as
  ``[[name|theme]]`` (same source format as the NER corpus, theme ids as labels).

:func:`build` writes ``train/dev/test.jsonl`` of the context documents with spans
``{"start","end","label":"SLOGAN","theme"}``; names are split by the same stable hash.

>>> names = parse_names("economy\\tLao động giỏi\\n# comment\\nhealth\\t5K\\n", "demo")
>>> [(n["theme"], n["name"]) for n in names]
[('economy', 'Lao động giỏi'), ('health', '5K')]
"""
from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Iterator

from .config import configs_dir
from . import corpus
from .corpus import split_of
from .errors import GoldFormatError
from .tones import fold

SLOGAN_LABEL = "SLOGAN"
_QUOTES = set("“”\"«»‘’„")


def load_themes(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """Theme id → {name, description, examples} from ``configs/slogan_themes.toml``."""
    path = path or configs_dir() / "slogan_themes.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))["themes"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as err:
        raise GoldFormatError(f"Cannot read themes from {path} ({err})") from None


def parse_names(text: str, source: str) -> list[dict[str, Any]]:
    names = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        theme, sep, name = line.partition("\t")
        if not sep or not name.strip():
            raise GoldFormatError(f"{source}:{number}: expected THEME<TAB>NAME, got {line[:80]!r}")
        names.append({"theme": theme.strip(), "name": unicodedata.normalize("NFC", name.strip()),
                      "source": source, "line": number})
    return names


def read_names(names_dir: Path) -> list[dict[str, Any]]:
    files = sorted(names_dir.glob("*.tsv"))
    if not files:
        raise GoldFormatError(f"No movement-name lists (*.tsv) in {names_dir}")
    return [n for path in files for n in parse_names(path.read_text(encoding="utf-8"), path.stem)]


def name_split(name: str) -> str:
    """train/dev/test for a movement name, stable and independent of file and line."""
    return split_of("name:" + " ".join(fold(name).split()))


def to_record(doc: dict[str, Any]) -> dict[str, Any]:
    """A parsed source document with theme labels → a slogan corpus record."""
    spans = [{"start": s["start"], "end": s["end"], "label": SLOGAN_LABEL, "theme": s["label"]} for s in doc["spans"]]
    return {**doc, "spans": spans}


def build(src_dir: Path, out_dir: Path) -> dict[str, int]:
    """Write train/dev/test JSONL of the context documents; returns documents per split."""
    if not any(src_dir.glob("*.txt")):
        raise GoldFormatError(f"No slogan sources (*.txt) in {src_dir}")
    return corpus.write_splits(map(to_record, corpus.read_sources(src_dir)), out_dir)


def validate(records: Iterable[dict[str, Any]], names: Iterable[dict[str, Any]],
             themes: Iterable[str]) -> tuple[int, int, list[str]]:
    """(documents, slogans, problems): themes known, no quote marks or spaces at span edges, no overlaps,
    no duplicate names."""
    themes = set(themes)
    problems, documents, slogans = [], 0, 0
    seen: dict[str, str] = {}
    for name in names:
        where = f"{name['source']}:{name['line']}"
        if name["theme"] not in themes:
            problems.append(f"{where}: unknown theme {name['theme']!r}")
        if _QUOTES & set(name["name"]):
            problems.append(f"{where}: quote marks in the name {name['name']!r}")
        key = " ".join(fold(name["name"]).split())
        if key in seen:
            problems.append(f"{where}: duplicate of {seen[key]}")
        seen.setdefault(key, where)
    for record in records:
        documents += 1
        text, previous_end = record["text"], 0
        for span in sorted(record.get("spans", []), key=lambda s: s["start"]):
            slogans += 1
            surface = text[span["start"]:span["end"]]
            if span.get("theme") not in themes:
                problems.append(f"{record['id']}: unknown theme {span.get('theme')!r}")
            if not surface or surface != surface.strip() or surface[0] in _QUOTES or surface[-1] in _QUOTES:
                problems.append(f"{record['id']}: slogan {surface!r} has a quote mark or space at an edge")
            if span["start"] < previous_end:
                problems.append(f"{record['id']}: slogan at {span['start']} overlaps the previous one")
            previous_end = max(previous_end, span["end"])
    return documents, slogans, problems


def read_jsonl_records(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    from .corpus import read_jsonl

    for path in paths:
        yield from read_jsonl(path)
