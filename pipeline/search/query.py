"""Query a search index: documents ranked, with a highlighted snippet and the entities that matched.

A query is folded (:mod:`pipeline.search.fold`) and looked up two ways:

- **full text**: its words in the folded document text (FTS5, bm25), the whole
  query as a phrase counting extra;
- **names**: entity names (people, offices, organisations, places) that
  contain the query as whole words, or, when none does and the query has
  ``fuzzy_min_length`` characters or more, one edit away from it ("ngo duc
  tong" -> "Ngô Đức Trọng").  Candidates come from a trigram index: a name one
  edit away from the query contains all but one of the query's k parts unchanged.

Score = bm25 (higher is better) + ``entity_weight`` * log(1 + mentions of
matching names), half weight for a one-edit match.  User text never reaches
FTS5 syntax: queries are split into words and each word is quoted.
"""
from __future__ import annotations

import json
import math
import sqlite3
import tomllib
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, Iterable

from ..config import configs_dir
from ..errors import SearchQueryError, UsageError
from ..tones import stripped
from .build import ENTITY_LABELS
from .fold import first_word_span, key, terms, word_match, word_spans
from .schema import open_index

MAX_TERMS = 16  # longer queries are cut: FTS5 cost grows with every phrase


@dataclass(frozen=True)
class Settings:
    fuzzy_min_length: int = 6
    max_name_candidates: int = 2000
    max_names: int = 300
    max_text_matches: int = 200
    entity_weight: float = 5.0
    snippet_chars: int = 200

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Settings":
        """The [query] table of configs/search.toml (defaults when it is absent)."""
        path = Path(path) if path else configs_dir() / "search.toml"
        if not path.is_file():
            return cls()
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("query", {})
            return cls(**table)
        except (tomllib.TOMLDecodeError, TypeError) as error:
            raise UsageError(f"Bad search settings in {path}: {error}", hint="See configs/search.toml") from None


@dataclass
class Filters:
    label: str | None = None      # the query must match an entity with this label
    person: str | None = None     # a person of the document (one typing mistake tolerated)
    position: str | None = None   # an office held (by --person when given) or mentioned
    place: str | None = None      # a place, its district or province, or an admin code
    theme: str | None = None      # a slogan theme label (economy, new_rural...) or words of a slogan

    def selects_documents(self) -> bool:
        """A filter that selects documents by itself (--label only qualifies the query)."""
        return any((self.person, self.position, self.place, self.theme))


@dataclass
class Hit:
    id: str
    score: float
    snippet: str                                  # with the matches between « and »
    highlights: list[tuple[int, int]]             # the same matches as offsets into the document text
    entities: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": round(self.score, 4), "snippet": self.snippet,
                "highlights": [list(s) for s in self.highlights], "entities": self.entities}


def search(db: str | Path | sqlite3.Connection, query: str = "", filters: Filters | None = None,
           limit: int = 10, settings: Settings | None = None) -> list[Hit]:
    """The best ``limit`` documents for ``query`` and ``filters`` (at least one of them)."""
    with _Connection(db) as conn:
        return Searcher(conn, settings).search(query, filters, limit)


def facets(db: str | Path | sqlite3.Connection, top: int = 10) -> dict[str, list[dict[str, Any]]]:
    """The most frequent people, positions, places and slogan themes, by number of documents."""
    with _Connection(db) as conn:
        return Searcher(conn).facets(top)


class _Connection:
    """An open connection as is, or a path opened (and closed) for one call."""

    def __init__(self, db: str | Path | sqlite3.Connection):
        self.given = db if isinstance(db, sqlite3.Connection) else None
        self.path = db

    def __enter__(self) -> sqlite3.Connection:
        self.conn = self.given or open_index(self.path)  # type: ignore[arg-type]
        return self.conn

    def __exit__(self, *exc: object) -> None:
        if self.given is None:
            self.conn.close()


class Searcher:
    def __init__(self, conn: sqlite3.Connection, settings: Settings | None = None):
        self.conn = conn
        self.settings = settings or Settings.load()

    # --- the query ----------------------------------------------------------------------

    def search(self, query: str = "", filters: Filters | None = None, limit: int = 10) -> list[Hit]:
        filters = filters or Filters()
        words = terms(query)[:MAX_TERMS]
        if not words and not filters.selects_documents():
            if query.strip():
                return []  # only punctuation: nothing can match, and that is not an error
            raise SearchQueryError("Nothing to search for: the query has no letters or digits and no filter is set",
                                   hint='Try: vnpipe search "Ngô Đức Trọng", or vnpipe search --facets')
        if filters.label and filters.label not in ENTITY_LABELS:
            raise SearchQueryError(f"Unknown label {filters.label!r}", hint="Use one of " + ", ".join(ENTITY_LABELS))
        allowed, filter_names = self._filter(filters)
        scores: dict[int, float] = {}
        matched: dict[int, int] = {}  # name id -> edit distance
        if words:
            if not filters.label:
                for doc, score in self._text_matches(words, allowed):
                    scores[doc] = score
            labels = (filters.label,) if filters.label else ENTITY_LABELS
            matched = self._names(" ".join(words), labels, fuzzy=True)
            for doc, weight in self._entity_scores(matched).items():
                if allowed is None or doc in allowed:
                    scores[doc] = scores.get(doc, 0.0) + weight
        else:  # filters only: the documents that mention the filtered person or office most come first
            weights = self._entity_scores(dict.fromkeys(filter_names, 0))
            scores = {doc: weights.get(doc, 0.0) for doc in allowed or ()}
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[: max(limit, 0)]
        shown = set(matched) | filter_names
        with_phrase = self._with_phrase(words, [doc for doc, _ in best])
        return [self._hit(doc, score, words, shown, doc in with_phrase) for doc, score in best]

    def _with_phrase(self, words: list[str], docs: list[int]) -> set[int]:
        """Which of ``docs`` contain the whole query (so snippets look for it only where it is)."""
        if not words or not docs:
            return set()
        if len(words) == 1:
            return set(docs)
        rows = self.conn.execute(f"SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? AND rowid IN ({_marks(docs)})",
                                 (f'"{" ".join(words)}"', *docs))
        return {d for d, in rows}

    def _text_matches(self, words: list[str], allowed: set[int] | None) -> list[tuple[int, float]]:
        expression = " AND ".join(f'"{w}"' for w in words)
        if len(words) > 1:
            expression = f'"{" ".join(words)}" OR ({expression})'  # the phrase adds to bm25
        limit = -1 if allowed is not None else self.settings.max_text_matches
        try:
            rows = self.conn.execute(
                "SELECT rowid, -rank FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rank LIMIT ?",  # rank: bm25
                (expression, limit)).fetchall()
        except sqlite3.OperationalError as error:  # quoting makes this unreachable; say so if not
            raise SearchQueryError(f"Full-text query failed: {error}", hint=f"Query sent: {expression}") from None
        return [(doc, score) for doc, score in rows if allowed is None or doc in allowed]

    def _names(self, query_key: str, labels: Iterable[str], fuzzy: bool) -> dict[int, int]:
        """Name ids (of ``labels``) matching ``query_key`` as whole words -> edit distance (0 or 1).

        One-edit matches are looked for only when no name matches exactly.
        """
        labels = tuple(labels)
        if len(query_key) < 3:  # below one trigram: only a whole name can match
            rows = self.conn.execute(f"SELECT id FROM names WHERE key = ? AND label IN ({_marks(labels)})",
                                     (query_key, *labels))
            return {i: 0 for i, in rows}
        # shortest names first: those closest to the query, when a common word matches thousands
        rows = self.conn.execute(
            f"SELECT n.id FROM names_fts JOIN names n ON n.id = names_fts.rowid WHERE names_fts MATCH ? "
            f"AND n.label IN ({_marks(labels)}) AND ' ' || n.key || ' ' LIKE ? ORDER BY length(n.key), n.id LIMIT ?",
            (f'"{query_key}"', *labels, f"% {query_key} %", self.settings.max_names))
        found = {i: 0 for i, in rows}
        if found or not fuzzy or len(query_key) < self.settings.fuzzy_min_length:
            return found
        rows = self.conn.execute(
            f"SELECT n.id, n.key FROM names_fts JOIN names n ON n.id = names_fts.rowid "
            f"WHERE names_fts MATCH ? AND n.label IN ({_marks(labels)}) LIMIT ?",
            (_trigram_expression(query_key), *labels, self.settings.max_name_candidates))
        close = sorted((len(k), i) for i, k in rows if word_match(query_key, k, fuzzy=True) is not None)
        return {i: 1 for _, i in close[: self.settings.max_names]}

    def _entity_scores(self, names: dict[int, int]) -> dict[int, float]:
        scores: dict[int, float] = {}
        weight = self.settings.entity_weight
        for distance in (0, 1):
            ids = [i for i, d in names.items() if d == distance]
            # UNION: an entity whose text and expanded norm both match counts once; both halves are
            # answered from covering indexes (an OR would read the table)
            for doc, mentions in self._rows_for_ids(
                    "SELECT doc, sum(mentions) FROM (SELECT doc, name, mentions FROM entities WHERE name IN ({0}) "
                    "UNION SELECT doc, name, mentions FROM entities WHERE alias IN ({0})) GROUP BY doc", ids):
                scores[doc] = scores.get(doc, 0.0) + weight / (1 + distance) * math.log1p(mentions)
        return scores

    def _rows_for_ids(self, sql: str, ids: list[int]) -> list[tuple]:
        """``sql`` with each ``{0}`` replaced by one placeholder per id (and the ids given for each)."""
        if not ids:
            return []
        return self.conn.execute(sql.format(_marks(ids)), ids * sql.count("{0}")).fetchall()

    # --- filters ------------------------------------------------------------------------

    def _filter(self, filters: Filters) -> tuple[set[int] | None, set[int]]:
        """Documents allowed by every filter (None: no filter), and the names the filters matched."""
        names: set[int] = set()
        sets = []
        person_names: list[int] = []
        if filters.person:
            person_names = list(self._names(_filter_key(filters.person, "--person"), ["PERSON"], fuzzy=True))
            names.update(person_names)
            sets.append({d for d, in self._rows_for_ids("SELECT DISTINCT doc FROM people WHERE name IN ({0})", person_names)})
        if filters.position:
            offices = list(self._names(_filter_key(filters.position, "--position"), ["POSITION"], fuzzy=True))
            names.update(offices)
            if person_names:  # the office held by that person
                rows = self.conn.execute(
                    f"SELECT DISTINCT doc FROM positions WHERE (name IN ({_marks(offices)}) OR alias IN "
                    f"({_marks(offices)})) AND person_name IN ({_marks(person_names)})",
                    offices * 2 + person_names) if offices else []
                sets.append({d for d, in rows})
            else:
                sets.append({d for d, in self._rows_for_ids(
                    "SELECT DISTINCT doc FROM entities WHERE name IN ({0}) OR alias IN ({0})", offices)})
        if filters.place:
            place = _filter_key(filters.place, "--place")
            rows = self.conn.execute(
                "SELECT DISTINCT doc FROM places WHERE keys LIKE ? OR code = ? OR district_code = ? "
                "OR province_code = ?", (f"% {place} %", place, place, place))
            sets.append({d for d, in rows})
        if filters.theme:
            theme = filters.theme.strip()
            rows = self.conn.execute("SELECT DISTINCT doc FROM slogans WHERE theme = ? OR key LIKE ?",
                                     (theme, f"% {key(theme)} %" if key(theme) else theme))
            sets.append({d for d, in rows})
        return (set.intersection(*sets) if sets else None), names

    # --- results ------------------------------------------------------------------------

    def _hit(self, doc: int, score: float, words: list[str], names: set[int], has_phrase: bool) -> Hit:
        doc_id, text = self.conn.execute("SELECT id, text FROM documents WHERE rowid = ?", (doc,)).fetchone()
        ids = sorted(names)
        rows = self.conn.execute(f"SELECT label, spans FROM entities WHERE doc = ? AND (name IN ({_marks(ids)}) "
                                 f"OR alias IN ({_marks(ids)})) ORDER BY start", (doc, *ids, *ids)) if ids else []
        entities, mentions = [], []
        for label, spans in rows:
            spans = [tuple(span) for span in json.loads(spans)]
            (start, end), count = spans[0], len(spans)
            entities.append({"label": label, "text": text[start:end], "start": start, "end": end, "mentions": count})
            mentions += spans
        mentions.sort()
        # the anchor: the first mention of a matching name or of the whole query, else of a query word
        phrase = " ".join(words)
        first_mention = mentions[0] if mentions else None
        phrase_at = first_word_span(text, [phrase], end=first_mention and first_mention[1]) if has_phrase else None
        anchor = min(filter(None, [phrase_at, first_mention]), default=None)
        anchor = anchor or first_word_span(text, words) or (0, 0)
        start, end = _window(text, anchor, self.settings.snippet_chars)
        folded = stripped(text[start:end])
        spans = [(s + start, e + start) for s, e in word_spans(folded, [phrase])]
        spans = _merge(spans + [(s, e) for s, e in mentions if s >= start and e <= end])
        if not spans:  # neither the whole query nor a name: its words
            spans = [(s + start, e + start) for s, e in word_spans(folded, words)]
        snippet = _marked(text, start, end, spans)
        shown = spans
        return Hit(doc_id, score, snippet, shown, entities)

    # --- facets -------------------------------------------------------------------------

    def facets(self, top: int = 10) -> dict[str, list[dict[str, Any]]]:
        q = self.conn.execute
        return {
            "people": [{"name": n, "documents": c} for n, c in q(
                "SELECT n.display, count(DISTINCT p.doc) c FROM people p JOIN names n ON n.id = p.name "
                "GROUP BY p.name ORDER BY c DESC, n.key LIMIT ?", (top,))],
            "positions": [{"name": n, "documents": c} for n, c in q(
                "SELECT n.display, count(DISTINCT e.doc) c FROM entities e JOIN names n ON n.id = e.head "
                "WHERE e.label = 'POSITION' GROUP BY e.head ORDER BY c DESC, n.key LIMIT ?", (top,))],
            "places": [{"name": n, "code": code, "level": level, "documents": c} for n, code, level, c in q(
                "SELECT min(admin_name), code, min(level), count(DISTINCT doc) c FROM places "
                "WHERE code IS NOT NULL GROUP BY code ORDER BY c DESC, code LIMIT ?", (top,))],
            "themes": [{"name": t, "documents": c, "slogans": s} for t, c, s in q(
                "SELECT theme, count(DISTINCT doc) c, count(*) FROM slogans WHERE theme IS NOT NULL "
                "GROUP BY theme ORDER BY c DESC, theme LIMIT ?", (top,))],
        }


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))


def _filter_key(value: str, option: str) -> str:
    folded = key(value)
    if not folded:
        raise SearchQueryError(f"{option} {value!r} has no letters or digits to match")
    return folded


def _trigram_expression(query_key: str) -> str:
    """FTS5 trigram query for names one edit away from the query: all but one of its k parts.

    One edit changes at most one part, so a name one edit away from the query
    still contains the other k-1 parts unchanged; the Python check that
    follows decides.
    """
    k = min(4, len(query_key) // 3)
    size = len(query_key) / k
    parts = [query_key[round(i * size): round((i + 1) * size)] for i in range(k)]
    return " OR ".join("(" + " AND ".join(f'"{p}"' for p in group) + ")" for group in combinations(parts, k - 1))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _window(text: str, anchor: tuple[int, int], width: int) -> tuple[int, int]:
    """About ``width`` characters of ``text`` around ``anchor``, cut at spaces."""
    start = max(0, anchor[0] - width // 3)
    end = min(len(text), max(anchor[1], start + width))
    if start > 0:
        space = text.find(" ", start, anchor[0])
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", anchor[1], end)
        end = space if space >= 0 else end
    return start, end


def _marked(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """text[start:end] with ``spans`` between « and », on one line, with … where it was cut."""
    pieces, at = [], start
    for s, e in spans:
        pieces += [text[at:s], "«", text[s:e], "»"]
        at = e
    pieces.append(text[at:end])
    snippet = " ".join("".join(pieces).split())  # newlines and runs of spaces: one space
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")
