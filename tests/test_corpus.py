import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corpus import Rules, build, parse_source, split_of, validate
from pipeline.errors import GoldFormatError, UsageError

SOURCE = """# comment
#: region=Đắk_Nông level=district
Đồng chí [[K’ Thanh|PERSON]] - [[TUV|POSITION]], [[Bí thư Huyện uỷ|POSITION]] dự họp tại [[huyện Đắk Song|LOCATION]].

#: kind=negative
Năm 2023 có 168 cá nhân đạt danh hiệu Lao động tiên tiến.
"""


def test_parse_source_offsets_and_meta():
    first, second = parse_source(SOURCE, "demo")
    spans = [(first["text"][s["start"] : s["end"]], s["label"]) for s in first["spans"]]
    assert spans == [("K’ Thanh", "PERSON"), ("TUV", "POSITION"), ("Bí thư Huyện uỷ", "POSITION"),
                     ("huyện Đắk Song", "LOCATION")]
    assert first["meta"] == {"region": "Đắk Nông", "level": "district", "source": "demo"}
    assert second["spans"] == [] and second["meta"]["kind"] == "negative"
    assert first["id"] == "demo-0000" and second["id"] == "demo-0001"


def test_unbalanced_markup_is_an_error():
    with pytest.raises(GoldFormatError):
        parse_source("Đồng chí [[K’Thanh|PERSON] dự.", "bad")


@pytest.mark.parametrize(
    "marked, problem",
    [
        ("[[Ông Văn Ba|PERSON]] phát biểu.", "starts with 'ông'"),
        ("[[Đại tá Trần Văn Tám|PERSON]] dự.", "starts with 'đại tá'"),
        ("[[nguyên Chủ tịch UBND tỉnh|POSITION]] dự.", "status word"),
        ("Các [[cán bộ|POSITION]] dự.", "generic role"),
        ("Trên địa bàn [[huyện|LOCATION]] có mưa.", "bare unit word"),
        ("Ở [[Hà Nội.|LOCATION]]", "sentence period"),
        ("Ở [[ Hà Nội|LOCATION]] có mưa.", "at an edge"),
        ("Ở [[Hà Nội|CITY]] có mưa.", "unknown label"),
    ],
)
def test_validation_rules(marked, problem):
    _, _, problems = validate(parse_source(marked, "t"), Rules.load())
    assert any(problem in p for p in problems), problems


def test_valid_source_has_no_problems():
    documents, entities, problems = validate(parse_source(SOURCE, "demo"))
    assert (documents, entities, problems) == (2, 4, [])


def test_overlap_and_duplicate_ids_are_reported():
    record = {"id": "x", "text": "Hà Nội đẹp", "spans": [{"start": 0, "end": 6, "label": "LOCATION"},
                                                          {"start": 3, "end": 6, "label": "LOCATION"}]}
    _, _, problems = validate([record, dict(record, spans=[])])
    assert any("overlaps" in p for p in problems) and any("duplicate id" in p for p in problems)


def test_build_splits_stably(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("\n\n".join(f"Văn bản [[Hà Nội|LOCATION]] số {i}." for i in range(60)), encoding="utf-8")
    counts = build(src, tmp_path / "out")
    assert sum(counts.values()) == 60 and counts["train"] > counts["dev"] > 0
    ids = [json.loads(line)["id"] for line in (tmp_path / "out" / "test.jsonl").read_text().splitlines()]
    assert all(split_of(i) == "test" for i in ids)


def test_cli_validate_exit_codes(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(SOURCE, encoding="utf-8")
    bad.write_text("[[ông Ba|PERSON]] dự.", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["corpus", "validate", str(good)]).exit_code == 0
    result = runner.invoke(app, ["corpus", "validate", str(bad)])
    assert result.exit_code == 1 and "1 problems" in result.stderr


def test_shipped_corpus_is_valid_and_built_from_its_sources(tmp_path):
    """CI runs the validator on corpus/ner, and the JSONL must be what `vnpipe corpus build` makes."""
    from pipeline.config import PROJECT_DIR
    from pipeline.corpus import read_jsonl

    ner = PROJECT_DIR / "corpus" / "ner"
    counts = build(ner / "src", tmp_path)
    for split in ("train", "dev", "test"):
        assert (tmp_path / f"{split}.jsonl").read_bytes() == (ner / f"{split}.jsonl").read_bytes(), (
            f"corpus/ner/{split}.jsonl is stale: run `vnpipe corpus build`")
    records = [r for split in ("train", "dev", "test") for r in read_jsonl(ner / f"{split}.jsonl")]
    documents, entities, problems = validate(records)
    assert problems == []
    assert documents == sum(counts.values()) >= 2000 and entities >= 6000


def test_relation_markers_become_holds_relations():
    source = ("#! relations\n\n#: kind=news\nĐồng chí [[K’Thanh|PERSON#a]] - [[TUV|POSITION>a]], "
              "[[Bí thư Huyện uỷ|POSITION>a]]; [[Phó Chủ tịch|POSITION>b,c]] [[Lê B|PERSON#b]] và [[Trần C|PERSON#c]].\n\n"
              "Không có quan hệ.\n")
    first, second = parse_source(source, "demo")
    assert [(r["head"], r["tail"]) for r in first["relations"]] == [(0, 1), (0, 2), (4, 3), (5, 3)]
    assert first["spans"][0]["ref"] == "a" and first["meta"]["relations"] == "yes"
    assert second["relations"] == []  # annotated file: no marker means no relation
    assert "relations" not in parse_source("[[A|PERSON]] đến.", "plain")[0]


def test_holder_must_be_a_marked_person():
    with pytest.raises(GoldFormatError):
        parse_source("[[Chủ tịch|POSITION>z]] [[An|PERSON#a]] đến.", "bad")


def test_split_fractions_and_seed():
    from collections import Counter

    ids = [f"bài-{i}" for i in range(4000)]
    default = Counter(split_of(i) for i in ids)
    assert all(abs(default[s] / 4000 - share) < 0.02 for s, share in (("train", 0.8), ("dev", 0.1), ("test", 0.1)))
    wide = Counter(split_of(i, dev=0.25, test=0.15) for i in ids)
    assert abs(wide["dev"] / 4000 - 0.25) < 0.03 and abs(wide["test"] / 4000 - 0.15) < 0.03
    assert [split_of(i, seed=7) for i in ids] != [split_of(i) for i in ids]
    assert [split_of(i, seed=7) for i in ids] == [split_of(i, seed=7) for i in reversed(ids)][::-1]
    with pytest.raises(UsageError):
        split_of("x", dev=0.6, test=0.6)
