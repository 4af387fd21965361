"""The Quickstart job on the bundled samples, checked against the output contract."""
import json

import jsonschema
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.document import offset_problems

from .conftest import REPO, SAMPLES


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    out = tmp_path_factory.mktemp("e2e") / "samples.jsonl"
    result = CliRunner().invoke(app, ["run", str(SAMPLES), "-o", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.stderr
    return {json.loads(line)["id"].rsplit("/", 1)[-1]: json.loads(line) for line in out.read_text("utf-8").splitlines()}


def test_every_sample_is_annotated_and_valid(records):
    schema = json.loads((REPO / "docs" / "output.schema.json").read_text())
    assert sorted(records) == sorted(p.name for p in SAMPLES.glob("*.txt"))
    for record in records.values():
        jsonschema.validate(record, schema)
        assert offset_problems(record) == []
        assert record["tokens"] and record["sentences"]
        assert record["text"] == (SAMPLES / record["id"].rsplit("/", 1)[-1]).read_text("utf-8")


def kinds(record, kind):
    return [record["text"][b["start"] : b["end"]] for b in record["blocks"] if b["kind"] == kind]


def test_sample_blocks(records):
    first = records["01_nam-da-thi-dua.txt"]
    assert kinds(first, "boilerplate") == ["A- A A+ | Tăng tương phản Giảm tương phản"]
    assert len(kinds(first, "caption")) == 3 and kinds(first, "byline") == ["Lê Thị Thu Trang"]
    assert kinds(records["03_bu-dang-chuyen-doi-so.txt"], "byline") == ["Theo Cổng TTĐT xã Bù Đăng"]
    assert kinds(records["05_chu-prong-thuy-loi.txt"], "boilerplate") == []


def test_wrapped_paragraph_is_one_block(records):
    record = records["04_huong-khe-suc-khoe-hoc-duong.txt"]
    wrapped = [b for b in kinds(record, "paragraph") if "\n" in b]
    assert len(wrapped) == 1 and "có dấu hiệu\nrối loạn" in wrapped[0]


def test_seed_article(nlp, seed_text):
    doc = nlp(seed_text)
    text = doc.text
    blocks = [(text[b.start : b.end], b.kind) for b in doc.blocks]
    assert blocks[0] == ("A- A A+ | Tăng tương phản Giảm tương phản", "boilerplate")
    assert blocks[1][1] == "title" and blocks[-1] == ("Phạm Tuân", "byline")
    captions = [t for t, k in blocks if k == "caption"]
    assert len(captions) == 4 and all(c.startswith("(") and c.endswith(")") for c in captions)
    sentences = {text[s.start : s.end] for s in doc.sentences}
    assert all(c in sentences for c in captions)  # captions never merge with the next paragraph
    words = {doc.token_text(t) for t in doc.tokens}
    for word in ["Phó Bí thư", "Huyện uỷ", "Huyện ủy", "Ủy ban nhân dân", "Hội đồng nhân dân", "Đắk Song", "K’Thanh"]:
        assert word in words, word
    assert offset_problems(json.loads(doc.to_json())) == []
