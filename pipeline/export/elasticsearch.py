"""Annotated documents as Elasticsearch / OpenSearch ``_bulk`` requests, an index mapping, and a push.

One source document per annotated record:

- ``text`` is analysed for Vietnamese: lower case, then ASCII folding (which also folds
  "đ" to "d"), keeping the original token too, so "dak song" and "Đắk Song" both match;
- ``persons``, ``positions``, ``organizations``, ``places``, ``themes`` and ``admin_codes``
  are keyword arrays of folded names (:func:`pipeline.tones.fold`, one tone-mark style) for
  facets and exact filters;
- ``entities``, ``people`` (with the positions each holds) and ``slogans`` are ``nested``,
  so a query can ask for a person *and* a position of the same record.

``_id`` is the document id (its SHA-1 when longer than Elasticsearch's 512 bytes), so
re-running an export and loading it again replaces documents instead of duplicating them.

>>> record = {"id": "a", "text": "Ông K’Thanh, Bí thư Huyện uỷ.", "entities": [
...     {"start": 4, "end": 11, "label": "PERSON", "text": "K’Thanh", "norm": "k’thanh"}], "meta": {}}
>>> action, source = bulk_lines([record], "news")[:2]
>>> action
'{"index":{"_index":"news","_id":"a"}}'
>>> json.loads(source)["persons"]
['k’thanh']
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import UsageError
from ..tones import fold

FACETS = {"PERSON": "persons", "POSITION": "positions", "ORGANIZATION": "organizations", "LOCATION": "places"}
_MAX_ID_BYTES = 512


def document_id(record: dict[str, Any]) -> str:
    """The record's id, or its SHA-1 when Elasticsearch would refuse it as too long."""
    key = str(record.get("id", ""))
    if not key:
        raise UsageError("An annotated record has no id", hint="Annotate with `vnpipe run`, which gives every record one")
    return key if len(key.encode("utf-8")) <= _MAX_ID_BYTES else hashlib.sha1(key.encode("utf-8")).hexdigest()


def _unique(values: Iterable[str]) -> list[str]:
    return sorted({v for v in values if v})


def to_source(record: dict[str, Any]) -> dict[str, Any]:
    """The indexed document: text, entities, people, slogans, facet keywords and meta."""
    entities = record.get("entities") or []
    source: dict[str, Any] = {
        "id": str(record.get("id", "")),
        "text": record.get("text", ""),
        "entities": [_entity(e) for e in entities],
        "people": [_person(p) for p in record.get("people") or []],
        "slogans": [{"text": s.get("text", ""), "theme": s.get("label", ""), "score": s.get("score")}
                    for s in record.get("slogans") or []],
        "themes": _unique(s.get("label", "") for s in record.get("slogans") or []),
        "admin_codes": _unique(_admin_code(e) for e in entities),
    }
    for label, field in FACETS.items():
        source[field] = _unique(fold(e.get("norm") or e.get("text", "")) for e in entities if e.get("label") == label)
    meta = record.get("meta") or {}
    source["meta"] = {k: meta[k] for k in ("source", "date", "vnpipe") if k in meta}
    if meta.get("stages"):
        source["meta"]["stages"] = meta["stages"]
    return source


def _admin_code(entity: dict[str, Any]) -> str:
    admin = entity.get("admin") or (entity.get("place") or {}).get("admin") \
        or ((entity.get("parts") or {}).get("place") or {}).get("admin") or {}
    return str(admin.get("code", ""))


def _entity(entity: dict[str, Any]) -> dict[str, Any]:
    out = {"label": entity.get("label", ""), "text": entity.get("text", ""), "norm": entity.get("norm", ""),
           "start": entity.get("start"), "end": entity.get("end")}
    code = _admin_code(entity)
    if code:
        out["admin_code"] = code
    return out


def _person(person: dict[str, Any]) -> dict[str, Any]:
    return {"name": person.get("name", ""), "norm": person.get("norm", ""),
            "positions": [{"text": p.get("text", ""), "norm": p.get("norm", "")} for p in person.get("positions", [])]}


def bulk_lines(records: Iterable[dict[str, Any]], index: str) -> list[str]:
    """Action and source lines for ``records`` (without newlines; see :func:`write_bulk`)."""
    return [line for record in records for line in _pair(record, index)]


def _pair(record: dict[str, Any], index: str) -> tuple[str, str]:
    action = {"index": {"_index": index, "_id": document_id(record)}}
    return (json.dumps(action, ensure_ascii=False, separators=(",", ":")),
            json.dumps(to_source(record), ensure_ascii=False, separators=(",", ":")))


def write_bulk(records: Iterable[dict[str, Any]], index: str, stream) -> int:
    """Write ``_bulk`` NDJSON (action line, source line, each ending in a newline); returns documents."""
    count = 0
    for record in records:
        action, source = _pair(record, index)
        stream.write(action + "\n" + source + "\n")
        count += 1
    return count


def index_mapping(shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """Settings and mappings for the documents :func:`to_source` makes."""
    keyword = {"type": "keyword"}
    folded_text = {"type": "text", "analyzer": "vi_folded", "fields": {"raw": {"type": "keyword", "ignore_above": 512}}}
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "analysis": {
                "filter": {"vi_ascii": {"type": "asciifolding", "preserve_original": True}},
                "analyzer": {"vi_folded": {"type": "custom", "tokenizer": "standard",
                                           "filter": ["lowercase", "vi_ascii"]}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": keyword,
                "text": {"type": "text", "analyzer": "vi_folded"},
                "entities": {"type": "nested", "properties": {
                    "label": keyword, "text": folded_text, "norm": keyword, "admin_code": keyword,
                    "start": {"type": "integer"}, "end": {"type": "integer"}}},
                "people": {"type": "nested", "properties": {
                    "name": folded_text, "norm": keyword,
                    "positions": {"type": "nested", "properties": {"text": folded_text, "norm": keyword}}}},
                "slogans": {"type": "nested", "properties": {
                    "text": folded_text, "theme": keyword, "score": {"type": "float"}}},
                **{field: keyword for field in (*FACETS.values(), "themes", "admin_codes")},
                "meta": {"type": "object", "properties": {
                    "source": keyword, "date": keyword, "vnpipe": keyword,
                    "stages": {"type": "object", "dynamic": True}}},
            },
        },
    }


def push(records: Iterable[dict[str, Any]], url: str, index: str, *, client: str = "elasticsearch",
         failures_path: Path | None = None, chunk_size: int = 500, max_retries: int = 5,
         progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Send ``records`` with the official client's ``streaming_bulk`` (retrying 429 answers with
    back-off). Every document that still fails is written to ``failures_path``; nothing is
    dropped silently. Returns ``{"indexed", "failed"}``."""
    streaming_bulk, connection = _client(client, url)
    if not connection.indices.exists(index=index):
        connection.indices.create(index=index, body=index_mapping())
    actions = ({"_op_type": "index", "_index": index, "_id": document_id(r), "_source": to_source(r)}
               for r in records)
    counts = {"indexed": 0, "failed": 0}
    failures = open(failures_path, "w", encoding="utf-8") if failures_path else None
    try:
        for ok, item in streaming_bulk(connection, actions, chunk_size=chunk_size, max_retries=max_retries,
                                       initial_backoff=1, max_backoff=60, raise_on_error=False,
                                       raise_on_exception=False):
            counts["indexed" if ok else "failed"] += 1
            if not ok and failures:
                failures.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")
            if progress:
                progress(1)
    finally:
        if failures:
            failures.close()
    return counts


def _client(name: str, url: str):
    try:
        if name == "opensearch":
            from opensearchpy import OpenSearch
            from opensearchpy.helpers import streaming_bulk

            return streaming_bulk, OpenSearch(url)
        if name == "elasticsearch":
            from elasticsearch import Elasticsearch
            from elasticsearch.helpers import streaming_bulk

            return streaming_bulk, Elasticsearch(url)
    except ImportError:
        raise UsageError(f"Pushing to {name} needs its Python client", hint='pip install "vnpipe[es]"') from None
    raise UsageError(f"Unknown client {name!r}", hint="Use elasticsearch or opensearch")
