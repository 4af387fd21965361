"""The SQLite layout of a vnpipe search index, and opening one safely.

Tables (``doc`` is always ``documents.rowid``):

- ``documents``: id, original text, meta (JSON);
- ``docs_fts``: FTS5 over the *folded* text (contentless: the original text is
  in ``documents`` and folding is 1:1, so nothing is stored twice);
- ``names`` + ``names_fts``: every distinct folded name (entity text, person
  name, office head) once per label, with a trigram index for substring and
  one-typo lookups;
- ``entities``: one row per distinct name of a document, with all its
  mentions as JSON ``[[start, end], ...]`` in ``spans`` (the text is the
  document's, at the first span); ``alias`` is a second name when it folds
  differently: an office's ``norm`` ("chủ tịch ủy ban nhân dân huyện" for
  "Chủ tịch UBND huyện") or a place's official name ("Thành phố Thủ Đức" for
  "TP Thủ Đức");
- ``people``, ``positions``, ``places`` (one row per distinct place of a
  document) and ``slogans``: per-document rows for results and filters.
  ``places.keys`` and ``slogans.key`` are folded words between spaces, so
  ``LIKE '% words %'`` matches whole words.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import IndexBusy, IndexNotFound, NotAnIndex
from .fold import FOLD_VERSION

FORMAT = "vnpipe-search"
SCHEMA_VERSION = "3"

DDL = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text TEXT NOT NULL, meta TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
    body, content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS names (
    id INTEGER PRIMARY KEY, label TEXT NOT NULL, key TEXT NOT NULL, display TEXT NOT NULL,
    UNIQUE (label, key));
CREATE VIRTUAL TABLE IF NOT EXISTS names_fts USING fts5(
    key, content='names', content_rowid='id', tokenize='trigram');
CREATE TABLE IF NOT EXISTS entities (
    doc INTEGER NOT NULL, name INTEGER NOT NULL, label TEXT NOT NULL,
    start INTEGER NOT NULL, spans TEXT NOT NULL, mentions INTEGER NOT NULL, alias INTEGER, head INTEGER, admin_code TEXT, admin_level TEXT,
    PRIMARY KEY (doc, name)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_name ON entities (name, doc, mentions);  -- covers the name -> documents lookup
CREATE INDEX IF NOT EXISTS entities_alias ON entities (alias, doc, mentions) WHERE alias IS NOT NULL;
CREATE TABLE IF NOT EXISTS people (
    doc INTEGER NOT NULL, idx INTEGER NOT NULL, name INTEGER NOT NULL, text TEXT NOT NULL,
    mentions TEXT NOT NULL, positions TEXT NOT NULL, PRIMARY KEY (doc, idx)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS people_name ON people (name);
CREATE TABLE IF NOT EXISTS positions (
    doc INTEGER NOT NULL, person INTEGER NOT NULL, person_name INTEGER NOT NULL,
    name INTEGER NOT NULL, alias INTEGER, text TEXT NOT NULL, norm TEXT, status TEXT);
CREATE INDEX IF NOT EXISTS positions_doc ON positions (doc);
CREATE INDEX IF NOT EXISTS positions_name ON positions (name);
CREATE TABLE IF NOT EXISTS places (
    doc INTEGER NOT NULL, text TEXT NOT NULL, keys TEXT NOT NULL, code TEXT, level TEXT, admin_name TEXT,
    province_code TEXT, province_name TEXT, district_code TEXT, successor_province_code TEXT,
    mentions INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS places_doc ON places (doc);
CREATE TABLE IF NOT EXISTS slogans (
    doc INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    key TEXT NOT NULL, theme TEXT, score REAL);
CREATE INDEX IF NOT EXISTS slogans_doc ON slogans (doc);
CREATE INDEX IF NOT EXISTS slogans_theme ON slogans (theme);
"""

PER_DOCUMENT_TABLES = ("entities", "people", "positions", "places", "slogans")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)  # transactions are explicit
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _check(conn: sqlite3.Connection, path: Path) -> None:
    """Raise NotAnIndex unless ``conn`` is a vnpipe search index this version can read."""
    hint = f"Build it with: vnpipe index build ANNOTATED.jsonl --db {path}"
    try:
        info = dict(conn.execute("SELECT key, value FROM info"))
    except sqlite3.DatabaseError as error:  # not SQLite at all, or no info table
        if "locked" in str(error):
            raise busy(path, error) from None
        raise NotAnIndex(f"{path} is not a vnpipe search index ({error})", hint=hint) from None
    if info.get("format") != FORMAT:
        raise NotAnIndex(f"{path} is not a vnpipe search index", hint=hint)
    if info.get("schema") != SCHEMA_VERSION or info.get("fold") != FOLD_VERSION:
        raise NotAnIndex(
            f"{path} was built by another vnpipe version (schema {info.get('schema')}, folding {info.get('fold')})",
            hint=f"Rebuild it: rm {path} && vnpipe index build ANNOTATED.jsonl --db {path}",
        )


def busy(path: str | Path, error: Exception) -> IndexBusy:
    return IndexBusy(f"The index {path} is locked by another process ({error})",
                     hint="Another vnpipe index build is probably writing it: wait for it and run this again.")


def open_index(path: str | Path) -> sqlite3.Connection:
    """An existing index, for reading."""
    path = Path(path)
    if not path.is_file():
        raise IndexNotFound(f"Search index not found: {path}",
                            hint=f"Build one with: vnpipe index build ANNOTATED.jsonl --db {path}")
    conn = _connect(path)
    _check(conn, path)
    return conn


def create_or_open(path: str | Path) -> sqlite3.Connection:
    """An index for writing: created when missing, checked when it exists."""
    path = Path(path)
    conn = _connect(path)
    try:
        fresh = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    except sqlite3.DatabaseError:
        fresh = False  # not SQLite: _check says so
    if not fresh:
        _check(conn, path)
    conn.execute("PRAGMA journal_mode = WAL")  # readers go on while a build writes; a crash keeps commits
    conn.execute("PRAGMA synchronous = NORMAL")
    if fresh:
        conn.execute("BEGIN")
        for statement in _statements(DDL):
            conn.execute(statement)
        conn.executemany("INSERT INTO info VALUES (?, ?)",
                         [("format", FORMAT), ("schema", SCHEMA_VERSION), ("fold", FOLD_VERSION)])
        conn.execute("COMMIT")
    return conn


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
