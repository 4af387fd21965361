import pytest

from pipeline.errors import UsageError
from pipeline.importers import import_corpus
from pipeline.importers.base import ImportStats

CONLL2003 = """-DOCSTART- -X- -X- O

Ông NNP B-NP B-PER
Lý NNP I-NP I-PER
Hùng NNP I-NP I-PER
thăm V B-VP O
Cần NNP B-NP B-LOC
Thơ NNP I-NP I-LOC
. . O O

Trời N B-NP O
mưa V B-VP O

-DOCSTART- -X- -X- O

UBND N B-NP S-ORG
họp V B-VP O
"""


def test_docstart_groups_sentences_into_documents(tmp_path):
    path = tmp_path / "news.conll"
    path.write_text(CONLL2003, encoding="utf-8")
    stats = ImportStats()
    first, second = import_corpus("conll2003", [path], stats)
    assert first["text"] == "Ông Lý Hùng thăm Cần Thơ.\nTrời mưa"
    assert [first["text"][s["start"]:s["end"]] for s in first["spans"]] == ["Ông Lý Hùng", "Cần Thơ"]
    assert second["text"] == "UBND họp" and second["spans"] == [{"start": 0, "end": 4, "label": "ORG"}]
    assert stats.documents == 2 and stats.entities == {"PER": 1, "LOC": 1, "ORG": 1}


def test_bioes_without_docstart_is_one_record_per_sentence(tmp_path):
    path = tmp_path / "a.bioes"
    path.write_text("Bộ\tB-ORG\nCông\tI-ORG\nThương\tE-ORG\nở\tO\nHuế\tS-LOC\n\nAn\tS-PER\n", encoding="utf-8")
    first, second = import_corpus("bioes", [path])
    assert [first["text"][s["start"]:s["end"]] for s in first["spans"]] == ["Bộ Công Thương", "Huế"]
    assert second["id"] == "a.bioes:1" and second["spans"][0]["label"] == "PER"


def test_tag_column_can_be_chosen(tmp_path):
    path = tmp_path / "a.tsv"
    path.write_text("Đà\tB-LOC\tx\nNẵng\tI-LOC\tx\n", encoding="utf-8")
    (record,) = import_corpus("conll", [path], tag_column=1)
    assert record["spans"] == [{"start": 0, "end": 7, "label": "LOC"}]


def test_columns_only_for_conll(tmp_path):
    with pytest.raises(UsageError):
        list(import_corpus("vlsp2016", [tmp_path], tag_column=1))
