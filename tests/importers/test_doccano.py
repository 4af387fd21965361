import json

import pytest

from pipeline.errors import GoldFormatError
from pipeline.importers import doccano
from pipeline.importers.base import ImportStats

TEXT = "Ông Phạm Quang Huy làm việc tại Hải Phòng."


def write(tmp_path, *items):
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n", encoding="utf-8")
    return path


def test_label_and_labels_and_entities_variants(tmp_path):
    path = write(tmp_path,
                 {"id": 7, "text": TEXT, "label": [[4, 18, "PER"], [32, 41, "LOC"]], "source": "web"},
                 {"text": TEXT, "labels": [[4, 18, "PER"]]},
                 {"id": 9, "text": TEXT, "entities": [{"id": 1, "label": "LOC", "start_offset": 32, "end_offset": 41}]})
    first, second, third = doccano.read(path)
    assert first["id"] == "7" and first["meta"] == {"source": "web"}
    assert [TEXT[s["start"]:s["end"]] for s in first["spans"]] == ["Phạm Quang Huy", "Hải Phòng"]
    assert second["id"] == "export.jsonl:2" and second["spans"] == [{"start": 4, "end": 18, "label": "PER"}]
    assert third["spans"] == [{"start": 32, "end": 41, "label": "LOC"}]


def test_bad_offsets_are_lost_and_edges_trimmed(tmp_path):
    stats = ImportStats()
    path = write(tmp_path, {"text": TEXT, "label": [[3, 19, "PER"], [30, 99, "LOC"]]})
    (record,) = doccano.read(path, stats)
    assert record["spans"] == [{"start": 4, "end": 18, "label": "PER"}]
    assert stats.lost_total == 1


def test_classification_labels_go_to_meta(tmp_path):
    (record,) = doccano.read(write(tmp_path, {"text": TEXT, "label": ["chính trị"]}))
    assert record["spans"] == [] and record["meta"]["categories"] == ["chính trị"]


def test_missing_text_is_an_error(tmp_path):
    with pytest.raises(GoldFormatError):
        list(doccano.read(write(tmp_path, {"content": TEXT})))
