"""Load annotated JSONL (``vnpipe run`` output) into a search index.

Streaming and batched: one transaction per batch, so a build that is killed
keeps every batch it finished and the index stays usable; re-running the
build completes it.  A document id that is already indexed is replaced (its
rows deleted, then inserted again), so re-indexing never duplicates.

Two steps: :func:`prepare_line` (parse, fold, group the mentions of each name)
is pure and runs in helper processes; the writer gives names their ids and
inserts, in the main process, in input order.
"""
from __future__ import annotations

import gzip
import logging
import sqlite3
import sys
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, NamedTuple

import orjson

from ..errors import VnpipeError
from ..io.readers import expand_inputs
from .fold import fold_document, key
from .schema import PER_DOCUMENT_TABLES, busy, create_or_open

log = logging.getLogger(__name__)

# Entity labels a search query is matched against (names also holds office heads).
ENTITY_LABELS = ("PERSON", "POSITION", "ORGANIZATION", "LOCATION")
HEAD = "HEAD"
LINES_PER_TASK = 64  # lines sent to a helper process at a time


@dataclass
class IndexStats:
    documents: int = 0          # indexed in this build (replacements included)
    replaced: int = 0           # ids that were already in the index
    skipped: int = 0            # lines that are not an annotated record
    entities: int = 0
    seconds: float = 0.0
    db_bytes: int = 0
    problems: list[str] = field(default_factory=list)  # the first few skipped lines, with where

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


class Prepared(NamedTuple):
    """One record, ready to insert: everything but the name ids."""

    id: str
    text: str
    folded: str
    meta: str
    # (label, text, key, first start, spans JSON, mentions, alias, alias key or None, head text, head key,
    #  admin code, admin level); the alias is an office's norm or a place's official name
    entities: list[tuple]
    # (text, keys, code, level, admin name, province code, province name, district code, successor code, mentions)
    places: list[tuple]
    # (index, name, key, mentions JSON, positions JSON, [(text, key, norm, norm key or None, status)])
    people: list[tuple]
    # (start, end, text, " key ", theme, score)
    slogans: list[tuple]
    mentions: int


_key = lru_cache(maxsize=200_000)(key)  # names repeat across documents: fold each once per process


# Most of a record's bytes are its blocks, sentences and tokens, which the index does
# not use: parsing around them halves the build time.  A quoted key can be found
# with bytes.find because a quote inside a JSON string is always escaped.
_SKIPPED_FROM, _SKIPPED_TO = b'"blocks"', b'"entities"'
# vnpipe writes these after the entities: missing ones mean another key order
_AFTER = ("relations", "slogans", "people", "meta")


def _key_at(line: bytes, name: bytes, start: int = 0) -> int:
    """Where the key ``name`` starts (its opening quote), or -1 unless it is plainly a key."""
    at = line.find(name, start)
    if at < 0:
        return -1
    before = line[max(0, at - 8): at].rstrip()[-1:]
    after = line[at + len(name): at + len(name) + 8].lstrip()[:1]
    return at if before in (b",", b"{") and after == b":" else -1


def parse_record(line: bytes) -> Any:
    """orjson.loads(line), skipping blocks, sentences and tokens when they sit where vnpipe writes them."""
    blocks = _key_at(line, _SKIPPED_FROM)
    entities = _key_at(line, _SKIPPED_TO, blocks) if blocks > 0 else -1
    if entities > 0:
        try:
            record = orjson.loads(line[: line.rindex(b",", 0, blocks)] + b"}")
            record.update(orjson.loads(b"{" + line[entities:]))
            if "text" in record and "id" in record and all(k in record for k in _AFTER):
                return record
        except (orjson.JSONDecodeError, ValueError, AttributeError):
            pass  # not what it looked like: parse it whole
    return orjson.loads(line)


def prepare_line(line: bytes, where: str) -> Prepared | str | None:
    """A JSONL line as a Prepared record, a problem (str) when it is not one, None when blank."""
    if not line.strip():
        return None
    try:
        record = parse_record(line)
    except orjson.JSONDecodeError as error:
        return f"{where}: not JSON ({error})"
    if not (isinstance(record, dict) and isinstance(record.get("id"), str) and isinstance(record.get("text"), str)):
        return f"{where}: not an annotated record (needs string id and text)"
    return prepare_record(record)


def _prepare_lines(lines: list[tuple[bytes, str]]) -> list[Prepared | str | None]:
    return [prepare_line(line, where) for line, where in lines]


def prepare_record(record: dict[str, Any]) -> Prepared:
    text = record["text"]
    entities = [e for e in record.get("entities") or () if isinstance(e, dict)]
    names: dict[tuple[str, str], list] = {}
    by_surface: dict[tuple[str, str], list] = {}  # repeated mentions skip folding
    places: dict[tuple, list] = {}
    for entity in entities:
        try:
            label, surface, span = entity["label"], entity["text"], [entity["start"], entity["end"]]
        except KeyError:
            continue  # not an entity: nothing to find it by
        row = by_surface.get((label, surface))
        if row is None:
            k = _key(surface)
            row = by_surface[label, surface] = names.get((label, k))
        if row is not None:
            row[4].append(span)
            continue
        parts = entity.get("parts") or {}
        admin = entity.get("admin") or {}
        # the office without its organisation ("Phó Chủ tịch"): what the positions facet counts
        head = ((parts.get("head") or {}).get("text") or surface) if label == "POSITION" else None
        # a second name to be found by: an office's norm with abbreviations expanded ("chủ tịch ủy ban
        # nhân dân" for "Chủ tịch UBND"), a place's official name ("Thành phố Thủ Đức" for "TP Thủ Đức")
        norm = (admin.get("name") if label == "LOCATION" else entity.get("norm")) or ""
        norm_key = _key(norm) if norm else k
        names[label, k] = by_surface[label, surface] = [
            label, surface, k, span[0], [span], 0, norm, norm_key if norm_key != k else None,
            head, _key(head) if head else None, admin.get("code"), admin.get("level")]
        if label == "LOCATION":
            _place(places, surface, admin)
        place = parts.get("place") or entity.get("place")
        if place and place.get("text"):
            _place(places, place["text"], place.get("admin") or {})
    for row in names.values():
        row[5] = len(row[4])
        row[4] = orjson.dumps(row[4]).decode()
    people = []
    for idx, person in enumerate(record.get("people") or ()):
        name = person.get("name") or ""
        positions = person.get("positions") or []
        people.append((idx, name, _key(name), orjson.dumps(person.get("mentions") or []).decode(),
                       orjson.dumps([{k: p.get(k) for k in ("text", "norm", "status") if p.get(k)}
                                     for p in positions]).decode(),
                       [_position(p) for p in positions]))
    slogans = [(s.get("start"), s.get("end"), s.get("text", ""), f' {_key(s.get("text", ""))} ', s.get("label"),
                s.get("score")) for s in record.get("slogans") or ()]
    return Prepared(record["id"], text, fold_document(text), orjson.dumps(record.get("meta") or {}).decode(),
                    [tuple(r) for r in names.values()], [tuple(r) for r in places.values()], people, slogans,
                    len(entities))


def _position(position: dict[str, Any]) -> tuple:
    text, norm = position.get("text") or "", position.get("norm") or ""
    k = _key(text)
    norm_key = _key(norm) if norm else k
    return text, k, norm, norm_key if norm_key != k else None, position.get("status")


def _place(places: dict[tuple, list], text: str, admin: dict[str, Any]) -> None:
    code = admin.get("code")
    known = places.get((text, code))
    if known:
        known[-1] += 1
        return
    province = admin.get("province") or {}
    district = admin.get("district") or {}
    successor = (admin.get("successor") or {}).get("province") or {}
    names = [text, admin.get("name"), district.get("name"), province.get("name")]
    # " a | b ": a filter matches whole words inside one of the names
    keys = " " + " | ".join(_key(n) for n in names if n) + " "
    places[text, code] = [text, keys, code, admin.get("level"), admin.get("name"), province.get("code"),
                          province.get("name"), district.get("code"), successor.get("code"), 1]


def read_lines(paths: Iterable[str]) -> Iterator[tuple[bytes, str]]:
    """(line, "path:number") for every line of the (already expanded) files."""
    for path in paths:
        with _open(path) as stream:
            for number, line in enumerate(stream, 1):
                yield line, f"{path}:{number}"


def _open(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")  # type: ignore[return-value]


def _skip(stats: IndexStats, problem: str) -> None:
    stats.skipped += 1
    if len(stats.problems) < 20:
        stats.problems.append(problem)
    log.warning("skipped %s", problem)


def build_settings(path: str | Path | None = None) -> dict[str, Any]:
    """The [build] table of configs/search.toml, with defaults."""
    import tomllib

    from ..config import configs_dir

    path = Path(path) if path else configs_dir() / "search.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("build", {}) if path.is_file() else {}
    return {"batch_size": 500, **table}


def build_index(
    paths: Iterable[str | Path],
    db: str | Path,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
) -> IndexStats:
    """Index every annotated record of ``paths`` (files, folders, globs, .gz, ``-``) into ``db``
    (created when missing).  ``workers`` processes in all, as in vnpipe run: 1 does everything here;
    more start ``workers - 1`` helpers that parse and fold while this process writes."""
    stats = IndexStats()
    started = time.perf_counter()
    files = expand_inputs([str(p) for p in paths])  # a missing input fails before anything is created
    conn = create_or_open(db)
    conn.execute("PRAGMA cache_size = -65536")  # 64 MB: the indexes stay in memory while they grow
    conn.execute("PRAGMA wal_autocheckpoint = 10000")  # checkpoint every ~40 MB, not 4 MB: 12% less CPU
    pool = ProcessPoolExecutor(workers - 1) if workers > 1 else None
    try:
        lines = read_lines(files)
        if pool:
            prepared: Iterable = (p for chunk in _ordered_map(pool, _prepare_lines, _chunks(lines), 4 * (workers - 1))
                                  for p in chunk)
        else:
            prepared = (prepare_line(line, where) for line, where in lines)
        write_prepared(conn, prepared, stats, batch_size, progress)
        conn.execute("INSERT INTO docs_fts(docs_fts) VALUES ('optimize')")  # one b-tree: faster queries
        conn.execute("ANALYZE")
        _settle(conn)
    except sqlite3.OperationalError as error:  # locked by another writer, disk full, ...
        if "locked" in str(error):
            raise busy(db, error) from None
        raise VnpipeError(f"Could not write the index {db}: {error}", hint="Finished batches are kept.") from None
    finally:
        if pool:
            pool.shutdown(wait=True, cancel_futures=True)
        conn.close()
    stats.seconds = time.perf_counter() - started
    stats.db_bytes = Path(db).stat().st_size
    return stats


def _settle(conn: sqlite3.Connection) -> None:
    """Back to a rollback journal: one self-contained file that read-only users can open.
    A reader still busy with the index keeps it in WAL mode, which is just as valid."""
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError:  # database is locked
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _chunks(lines: Iterator[tuple[bytes, str]]) -> Iterator[list[tuple[bytes, str]]]:
    while chunk := list(islice(lines, LINES_PER_TASK)):
        yield chunk


def _ordered_map(pool: ProcessPoolExecutor, function: Callable, items: Iterable, ahead: int) -> Iterator:
    """pool.map with at most ``ahead`` tasks in flight (Executor.map would read all input first)."""
    pending: deque[Future] = deque()
    for item in items:
        pending.append(pool.submit(function, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def index_records(
    conn: sqlite3.Connection,
    records: Iterable[dict[str, Any]],
    stats: IndexStats,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write already parsed records in transactions of ``batch_size``; an exception rolls back
    only the open batch."""
    write_prepared(conn, (prepare_record(r) for r in records), stats, batch_size, progress)


def write_prepared(
    conn: sqlite3.Connection,
    items: Iterable[Prepared | str | None],
    stats: IndexStats,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> None:
    writer = _Writer(conn, stats)
    batch: list[Prepared] = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, str):
            _skip(stats, item)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            writer.write(batch)
            batch = []
            if progress:
                progress(stats.documents)
    if batch:
        writer.write(batch)
        if progress:
            progress(stats.documents)


class _Writer:
    def __init__(self, conn: sqlite3.Connection, stats: IndexStats):
        self.conn = conn
        self.stats = stats
        self.names: dict[tuple[str, str], int] = {
            (label, k): i for i, label, k in conn.execute("SELECT id, label, key FROM names")
        }
        self.new_names: list[tuple[int, str, str, str]] = []
        self.next_name = (conn.execute("SELECT max(id) FROM names").fetchone()[0] or 0) + 1
        self.rows: dict[str, list[tuple]] = {table: [] for table in PER_DOCUMENT_TABLES}
        # ids are looked up only when the index had documents before, or this build saw them
        self.maybe_known = conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is not None
        self.seen: set[str] = set()

    def write(self, batch: list[Prepared]) -> None:
        conn = self.conn
        known = dict(self.names)
        next_name = self.next_name
        conn.execute("BEGIN IMMEDIATE")
        try:
            for prepared in batch:
                self._document(prepared)
            conn.executemany("INSERT INTO names (id, label, key, display) VALUES (?, ?, ?, ?)", self.new_names)
            conn.executemany("INSERT INTO names_fts (rowid, key) VALUES (?, ?)",
                             [(i, k) for i, _, k, _ in self.new_names])
            for table, rows in self.rows.items():
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self.names, self.next_name = known, next_name  # ids handed out in this batch were not kept
            raise
        finally:
            self.new_names = []
            self.rows = {table: [] for table in PER_DOCUMENT_TABLES}

    def name(self, label: str, k: str, text: str) -> int:
        found = self.names.get((label, k))
        if found is None:
            found = self.names[label, k] = self.next_name
            self.next_name += 1
            self.new_names.append((found, label, k, text))
        return found

    def _document(self, p: Prepared) -> None:
        conn = self.conn
        if self.maybe_known or p.id in self.seen:
            old = conn.execute("SELECT rowid, text FROM documents WHERE id = ?", (p.id,)).fetchone()
            if old:
                self._delete(*old)
                self.stats.replaced += 1
        self.seen.add(p.id)
        doc = conn.execute("INSERT INTO documents (id, text, meta) VALUES (?, ?, ?)", (p.id, p.text, p.meta)).lastrowid
        conn.execute("INSERT INTO docs_fts (rowid, body) VALUES (?, ?)", (doc, p.folded))
        name = self.name
        self.rows["entities"].extend(
            (doc, name(label, k, text), label, start, spans, mentions,
             name(label, norm_key, norm) if norm_key else None, name(HEAD, head_key, head) if head else None,
             code, level)
            for label, text, k, start, spans, mentions, norm, norm_key, head, head_key, code, level in p.entities)
        self.rows["places"].extend((doc, *place) for place in p.places)
        for idx, person, k, mentions, positions_json, positions in p.people:
            person_name = name("PERSON", k, person)
            self.rows["people"].append((doc, idx, person_name, person, mentions, positions_json))
            self.rows["positions"].extend(
                (doc, idx, person_name, name("POSITION", pk, text), name("POSITION", nk, norm) if nk else None,
                 text, norm, status)
                for text, pk, norm, nk, status in positions)
        self.rows["slogans"].extend((doc, *slogan) for slogan in p.slogans)
        self.stats.documents += 1
        self.stats.entities += p.mentions

    def _delete(self, doc: int, text: str) -> None:
        # contentless FTS5: a row is deleted by giving back exactly what was inserted
        self.conn.execute("INSERT INTO docs_fts (docs_fts, rowid, body) VALUES ('delete', ?, ?)",
                          (doc, fold_document(text)))
        for table in PER_DOCUMENT_TABLES:
            self.conn.execute(f"DELETE FROM {table} WHERE doc = ?", (doc,))
            # rows of this batch not yet inserted
            self.rows[table] = [row for row in self.rows[table] if row[0] != doc]
        self.conn.execute("DELETE FROM documents WHERE rowid = ?", (doc,))
