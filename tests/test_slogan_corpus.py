import json
from pathlib import Path

import pytest

from pipeline import slogan_corpus as sc
from pipeline.errors import GoldFormatError

REPO = Path(__file__).resolve().parents[1]
SOURCE = """#: kind=news
Xã phát động phong trào “[[Dân vận khéo|ideology_party]]” và “[[Ngày Chủ nhật xanh|environment]]”.

#: kind=negative
Phong trào thi đua yêu nước năm 2023 được tổng kết.
"""


def test_sources_become_slogan_records(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "demo.txt").write_text(SOURCE, encoding="utf-8")
    counts = sc.build(tmp_path / "src", tmp_path)
    assert sum(counts.values()) == 2
    records = [json.loads(line) for split in ("train", "dev", "test")
               for line in (tmp_path / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
    first = next(r for r in records if r["spans"])
    assert [(first["text"][s["start"]:s["end"]], s["label"], s["theme"]) for s in first["spans"]] == [
        ("Dân vận khéo", "SLOGAN", "ideology_party"), ("Ngày Chủ nhật xanh", "SLOGAN", "environment")]


def test_names_need_a_tab():
    with pytest.raises(GoldFormatError):
        sc.parse_names("economy Lao động giỏi\n", "bad")


def test_validate_reports_unknown_themes_quotes_and_duplicates():
    names = sc.parse_names("economy\tLao động giỏi\nsports\t“Khỏe”\neconomy\tLAO ĐỘNG GIỎI\n", "n")
    record = {"id": "d", "text": "phong trào “ Học tốt”", "spans": [{"start": 11, "end": 20, "theme": "education"}]}
    _, _, problems = sc.validate([record], names, ["economy", "education"])
    assert any("unknown theme 'sports'" in p for p in problems)
    assert any("quote marks" in p for p in problems)
    assert any("duplicate" in p for p in problems)
    assert any("edge" in p for p in problems)


def test_name_split_ignores_case_and_tone_style():
    assert sc.name_split("Hoà bình") == sc.name_split("HÒA BÌNH")


def test_shipped_slogan_corpus_is_valid_and_built_from_its_sources(tmp_path):
    folder = REPO / "corpus" / "slogans"
    sc.build(folder / "src", tmp_path)
    for split in ("train", "dev", "test"):
        assert (tmp_path / f"{split}.jsonl").read_bytes() == (folder / f"{split}.jsonl").read_bytes(), (
            f"corpus/slogans/{split}.jsonl is stale: run `vnpipe corpus build`")
    names = sc.read_names(folder / "names")
    documents, slogans, problems = sc.validate(
        sc.read_jsonl_records(folder / f"{s}.jsonl" for s in ("train", "dev", "test")), names, sc.load_themes())
    assert problems == []
    assert len(names) >= 600 and slogans >= 300  # issue 5: 600 names, 300 context sentences
    assert set(n["theme"] for n in names) == set(sc.load_themes())
