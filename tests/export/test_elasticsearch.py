"""Elasticsearch / OpenSearch export: _bulk NDJSON checked line by line against the mapping."""
import json
import os

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.export import elasticsearch as es

RECORD = {
    "id": "tin-1",
    "text": "Ông Ngô Đức Trọng, Chủ tịch UBND huyện Đắk Song, phát động phong trào “Dân vận khéo”.",
    "entities": [
        {"start": 4, "end": 17, "label": "PERSON", "text": "Ngô Đức Trọng", "norm": "ngô đức trọng"},
        {"start": 19, "end": 38, "label": "POSITION", "text": "Chủ tịch UBND huyện", "norm": "chủ tịch ủy ban nhân dân huyện",
         "parts": {"place": {"start": 33, "end": 47, "text": "huyện Đắk Song", "admin": {"code": "665"}}}},
        {"start": 33, "end": 47, "label": "LOCATION", "text": "huyện Đắk Song", "norm": "huyện đắk song",
         "admin": {"level": "district", "code": "665"}},
    ],
    "relations": [{"label": "HOLDS", "head": 0, "tail": 1}],
    "people": [{"name": "Ngô Đức Trọng", "norm": "ngô đức trọng", "mentions": [0],
                "positions": [{"entity": 1, "text": "Chủ tịch UBND huyện", "norm": "chủ tịch ủy ban nhân dân huyện"}]}],
    "slogans": [{"start": 70, "end": 83, "text": "Dân vận khéo", "label": "mass_mobilization", "score": 0.9}],
    "meta": {"source": "tin.txt", "vnpipe": "0.1.0", "date": "2024-01-30", "stages": {"entities": "x"}},
}


def check_against(value, mapping, where="doc"):
    """Every field of ``value`` is mapped, with a value of the mapped type (the mapping is strict)."""
    kind = mapping.get("type", "object")
    if isinstance(value, list) and kind != "nested":
        for item in value:
            check_against(item, mapping, where)
        return
    if kind in ("object", "nested"):
        items = value if isinstance(value, list) else [value]
        for item in items:
            assert isinstance(item, dict), where
            if mapping.get("dynamic") is True:
                continue
            for key, sub in item.items():
                assert key in mapping["properties"], f"{where}.{key} is not in the mapping"
                check_against(sub, mapping["properties"][key], f"{where}.{key}")
    elif kind in ("keyword", "text"):
        assert isinstance(value, str), where
    elif kind == "integer":
        assert isinstance(value, int), where
    elif kind == "float":
        assert value is None or isinstance(value, (int, float)), where


def test_bulk_lines_pair_actions_with_sources_that_fit_the_mapping(tmp_path):
    path = tmp_path / "bulk.ndjson"
    with open(path, "w", encoding="utf-8") as stream:
        assert es.write_bulk([RECORD, dict(RECORD, id="tin-2")], "news", stream) == 2
    raw = path.read_text(encoding="utf-8")
    assert raw.endswith("\n")
    lines = raw.splitlines()
    assert len(lines) == 4
    mapping = es.index_mapping()["mappings"]
    assert mapping["dynamic"] == "strict"
    for action_line, source_line in zip(lines[::2], lines[1::2]):
        action, source = json.loads(action_line), json.loads(source_line)
        assert set(action) == {"index"} and action["index"]["_index"] == "news"
        assert action["index"]["_id"] == source["id"]
        check_against(source, {"type": "object", "properties": mapping["properties"]})


def test_facets_are_folded_and_ids_stable():
    source = es.to_source(dict(RECORD, entities=RECORD["entities"] + [
        {"start": 0, "end": 1, "label": "ORGANIZATION", "text": "Huyện uỷ", "norm": "huyện ủy"},
        {"start": 0, "end": 1, "label": "ORGANIZATION", "text": "Huyện ủy", "norm": "huyện ủy"}]))
    assert source["organizations"] == ["huyện ủy"]  # both tone-mark styles: one keyword
    assert source["persons"] == ["ngô đức trọng"] and source["admin_codes"] == ["665"]
    assert source["themes"] == ["mass_mobilization"] and source["meta"]["date"] == "2024-01-30"
    assert es.bulk_lines([RECORD], "news") == es.bulk_lines([RECORD], "news")
    long_id = es.document_id({"id": "x" * 600})
    assert len(long_id) == 40 and long_id == es.document_id({"id": "x" * 600})


def test_a_record_without_id_is_refused():
    with pytest.raises(es.UsageError):
        es.document_id({"text": "x"})


def test_push_counts_and_writes_refused_documents(tmp_path, monkeypatch):
    calls = {}

    class Indices:
        def exists(self, index):
            return False

        def create(self, index, body):
            calls["mapping"] = body

    class Connection:
        indices = Indices()

    def fake_streaming_bulk(connection, actions, **options):
        calls["options"] = options
        for action in actions:
            if action["_id"] == "bad":
                yield False, {"index": {"_id": "bad", "status": 400, "error": "mapper_parsing_exception"}}
            else:
                yield True, {"index": {"_id": action["_id"], "status": 201}}

    monkeypatch.setattr(es, "_client", lambda name, url: (fake_streaming_bulk, Connection()))
    failures = tmp_path / "failed.jsonl"
    counts = es.push([RECORD, dict(RECORD, id="bad")], "http://127.0.0.1:9", "news", failures_path=failures)
    assert counts == {"indexed": 1, "failed": 1}
    assert json.loads(failures.read_text(encoding="utf-8"))["index"]["_id"] == "bad"
    assert calls["options"]["max_retries"] > 0 and calls["mapping"] == es.index_mapping()


def test_cli_writes_bulk_and_mapping(tmp_path):
    annotated = tmp_path / "out.jsonl"
    annotated.write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    bulk, mapping = tmp_path / "bulk.ndjson", tmp_path / "mapping.json"
    result = CliRunner().invoke(app, ["export", "elasticsearch", str(annotated), "--index", "news",
                                      "-o", str(bulk), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert len(bulk.read_text(encoding="utf-8").splitlines()) == 2
    assert json.loads(mapping.read_text(encoding="utf-8"))["mappings"]["properties"]["people"]["type"] == "nested"
    missing = CliRunner().invoke(app, ["export", "elasticsearch", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "Cannot read" in missing.stderr


@pytest.mark.skipif(not os.environ.get("VNPIPE_ES_URL"), reason="set VNPIPE_ES_URL to test against a real cluster")
def test_push_to_a_real_cluster():
    counts = es.push([RECORD], os.environ["VNPIPE_ES_URL"], "vnpipe-test")
    assert counts == {"indexed": 1, "failed": 0}
