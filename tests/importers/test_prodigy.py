import json

from pipeline.importers import prodigy
from pipeline.importers.base import ImportStats

TEXT = "Thủ tướng thăm Quảng Trị."


def test_only_accepted_examples(tmp_path):
    examples = [
        {"text": TEXT, "spans": [{"start": 15, "end": 24, "label": "LOCATION", "token_start": 3}],
         "answer": "accept", "meta": {"id": "bao-1"}, "_input_hash": 1},
        {"text": TEXT, "spans": [], "answer": "reject", "_input_hash": 2},
        {"text": TEXT, "spans": [], "answer": "ignore", "_input_hash": 3},
        {"text": TEXT, "spans": [{"start": 0, "end": 9, "label": "POSITION"}], "_input_hash": 4},
    ]
    path = tmp_path / "db.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in examples), encoding="utf-8")
    stats = ImportStats()
    first, second = prodigy.read(path, stats)
    assert first["id"] == "bao-1" and first["spans"] == [{"start": 15, "end": 24, "label": "LOCATION"}]
    assert second["id"] == "4" and TEXT[0:9] == "Thủ tướng"
    assert stats.skipped_documents == {"answer is 'reject'": 1, "answer is 'ignore'": 1}
