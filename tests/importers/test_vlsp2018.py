import pytest

from pipeline.errors import GoldFormatError
from pipeline.importers import vlsp2018
from pipeline.importers.base import ImportStats

NESTED = ('Sáng nay, <ENAMEX TYPE="ORGANIZATION">Sở Văn hóa <ENAMEX TYPE="LOCATION">tỉnh '
          '<ENAMEX TYPE="LOCATION">Phú Yên</ENAMEX></ENAMEX></ENAMEX> đón ông '
          '<ENAMEX TYPE="PERSON">Đỗ Minh Khoa\xa0</ENAMEX>.\n\n<ENAMEX TYPE="PERSON">Hạnh</ENAMEX>kể lại.')


def surfaces(text, spans):
    return [(text[s["start"]:s["end"]], s["label"]) for s in spans]


def test_outermost_tags_are_spans_and_inner_ones_nested():
    stats = ImportStats()
    record = vlsp2018.parse("\ufeff" + NESTED, "a.muc", stats)
    text = record["text"]
    assert text == "Sáng nay, Sở Văn hóa tỉnh Phú Yên đón ông Đỗ Minh Khoa\xa0.\n\nHạnh kể lại."
    assert surfaces(text, record["spans"]) == [("Sở Văn hóa tỉnh Phú Yên", "ORGANIZATION"),
                                               ("Đỗ Minh Khoa", "PERSON"), ("Hạnh", "PERSON")]
    nested = record["meta"]["nested"]
    assert surfaces(text, nested) == [("tỉnh Phú Yên", "LOCATION"), ("Phú Yên", "LOCATION")]
    assert [n["depth"] for n in nested] == [2, 3]
    assert stats.quirks == {"byte-order mark at the start of the file (dropped)": 1,
                            "closing tag glued to the next word (space added)": 1,
                            "whitespace inside a tag at an entity's edge (trimmed)": 1}
    assert not stats.lost


def test_without_repair_the_text_is_the_files():
    record = vlsp2018.parse(NESTED, "a.muc", repair=False)
    assert record["text"].endswith("Hạnhkể lại.")


def test_counts_from_the_tags_agree():
    assert vlsp2018.tag_contents(NESTED) == [("ORGANIZATION", "Sở Văn hóa tỉnh Phú Yên"),
                                             ("PERSON", "Đỗ Minh Khoa"), ("PERSON", "Hạnh")]


def test_empty_entity_is_lost():
    stats = ImportStats()
    record = vlsp2018.parse('Ở <ENAMEX TYPE="LOCATION"> </ENAMEX> này', "b.muc", stats)
    assert record["spans"] == [] and stats.lost_total == 1


@pytest.mark.parametrize("raw", ['<ENAMEX TYPE="PERSON">An', 'An</ENAMEX>'])
def test_unbalanced_tags_are_errors(raw):
    with pytest.raises(GoldFormatError):
        vlsp2018.parse(raw, "c.muc")


def test_folder_ids_are_relative_paths(tmp_path):
    (tmp_path / "Xa hoi").mkdir()
    (tmp_path / "Xa hoi" / "1.muc").write_text(NESTED, encoding="utf-8")
    (record,) = vlsp2018.read(tmp_path)
    assert record["id"] == "Xa hoi/1.muc"
