import json

from pipeline.importers import labelstudio
from pipeline.importers.base import ImportStats

TEXT = "Bí thư Tỉnh ủy Lào Cai tiếp đoàn."


def span(start, end, label, text=None):
    return {"type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": end, "text": text or TEXT[start:end], "labels": [label]}}


def test_first_kept_annotation_is_imported(tmp_path):
    tasks = [
        {"id": 1, "data": {"text": TEXT, "url": "u"},
         "annotations": [{"was_cancelled": True, "result": [span(0, 6, "POSITION")]},
                         {"result": [span(7, 22, "ORGANIZATION"), span(15, 22, "LOCATION"),
                                     span(0, 6, "POSITION", "Chủ tịch"),
                                     {"type": "choices", "from_name": "topic", "value": {"choices": ["Chính trị"]}}]}]},
        {"id": 2, "data": {"text": TEXT}, "annotations": []},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    stats = ImportStats()
    (record,) = labelstudio.read(path, stats)
    assert record["id"] == "1" and record["meta"] == {"url": "u", "choices": {"topic": ["Chính trị"]}}
    assert [(TEXT[s["start"]:s["end"]], s["label"]) for s in record["spans"]] == [
        ("Tỉnh ủy Lào Cai", "ORGANIZATION"), ("Lào Cai", "LOCATION")]
    assert stats.lost_total == 1  # its text is not at its offsets
    assert stats.skipped_documents == {"no annotation (or all cancelled)": 1}
