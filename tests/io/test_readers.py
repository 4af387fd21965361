import gzip
import json

import pytest

from pipeline.errors import InputNotFound
from pipeline.io.readers import expand_inputs, read_records


def records(*paths, **kwargs):
    return list(read_records([str(p) for p in paths], **kwargs))


def test_txt_is_one_document_with_path_id(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Xin chào.\nDòng hai.", encoding="utf-8")
    (record,) = records(path)
    assert record.id == str(path) and record.text == "Xin chào.\nDòng hai." and record.error is None


def test_jsonl_ids_fields_and_blank_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"id": "x1", "body": "Một"}, ensure_ascii=False) + "\n\n"
        + json.dumps({"body": "Hai"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    got = records(path, text_field="body")
    assert [(r.id, r.text) for r in got] == [("x1", "Một"), (f"{path}:3", "Hai")]


def test_bad_jsonl_lines_become_error_records(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": "ok", "text": "t"}\nnot json\n[1, 2]\n{"id": "n", "title": "no text"}\n{"text": 5}\n')
    got = records(path)
    assert got[0].error is None
    assert [r.error.stage for r in got[1:]] == ["json"] * 4
    assert "not JSON" in got[1].error.message
    assert "'text'" in got[3].error.message


def test_invalid_utf8_reports_byte_offset(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Hà Nội ".encode("utf-8") + b"\xe0\xe1 xyz")
    (record,) = records(path)
    assert record.error.stage == "decode"
    assert f"byte {len('Hà Nội '.encode())}" in record.error.message


def test_invalid_utf8_in_jsonl_reports_offset_in_file(tmp_path):
    path = tmp_path / "a.jsonl"
    first = b'{"text": "ok"}\n'
    path.write_bytes(first + b'{"text": "b\xff"}\n')
    got = records(path)
    assert got[0].error is None
    assert f"byte {len(first) + 11}" in got[1].error.message


def test_binary_file_is_an_error_not_garbage(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)))
    (record,) = records(path)
    assert record.error is not None and record.text is None


def test_lone_surrogate_escape_is_replaced_keeping_offsets(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "s", "text": "a\\ud800b"}\n', encoding="utf-8")
    (record,) = records(path)
    assert record.text == "a\ufffdb" and len(record.text) == 3
    assert record.warnings


def test_gzip_is_transparent(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write('{"id": "g", "text": "nén"}\n')
    (record,) = records(path)
    assert (record.id, record.text) == ("g", "nén")


def test_folders_are_recursive_and_sorted_globs_work(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ["b.txt", "a.jsonl", "sub/c.ndjson", "skip.csv"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = expand_inputs([str(tmp_path)])
    assert [p.replace(str(tmp_path), "") for p in found] == ["/a.jsonl", "/b.txt", "/sub/c.ndjson"]
    assert expand_inputs([str(tmp_path / "*.txt")]) == [str(tmp_path / "b.txt")]


def test_missing_input_is_a_usage_error(tmp_path):
    with pytest.raises(InputNotFound):
        expand_inputs([str(tmp_path / "nope.txt")])


def test_annotated_record_is_continued(tmp_path):
    path = tmp_path / "n.jsonl"
    record = {"id": "d", "text": "Abc.", "blocks": [{"start": 0, "end": 4, "kind": "paragraph"}], "sentences": [],
              "tokens": [], "entities": [], "relations": [], "slogans": [], "meta": {"stages": {"normalize": "v"}}}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (got,) = records(path)
    doc = got.to_document()
    assert doc.stages == {"normalize": "v"} and doc.blocks[0].kind == "paragraph"


def test_a_publication_date_goes_to_meta(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "x", "date": "2024-05-01"}) + "\n"
                    + json.dumps({"id": "b", "text": "y", "published": "2026-01-02"}) + "\n", encoding="utf-8")
    first, second = [r.to_document() for r in read_records([str(path)])]
    assert first.meta["date"] == "2024-05-01" and "date" not in second.meta
    (renamed,) = [r.to_document() for r in read_records([str(path)], date_field="published")][1:]
    assert renamed.meta["date"] == "2026-01-02"
