import pytest

from pipeline.errors import LabelMapError, UnknownFormat
from pipeline.importers import FORMATS, ImportStats, import_corpus, parse_label_map

MUC = 'Ông <ENAMEX TYPE="PERSON">Vũ Đức</ENAMEX> ở <ENAMEX TYPE="MISCELLANEOUS">Tết</ENAMEX>.'


def test_unknown_format_lists_the_known_ones():
    with pytest.raises(UnknownFormat) as error:
        import_corpus("brat", [])
    assert all(name in error.value.hint for name in FORMATS)


@pytest.mark.parametrize("spec", ["PER", "=PER", "A=B,,C"])
def test_bad_label_maps(spec):
    with pytest.raises(LabelMapError):
        parse_label_map(spec)


def test_label_map_renames_and_drops(tmp_path):
    for name in ("a.muc", "b.muc"):
        (tmp_path / name).write_text(MUC, encoding="utf-8")
    stats = ImportStats()
    records = list(import_corpus("vlsp2018", [tmp_path / "a.muc", tmp_path / "a.muc"], stats,
                                 parse_label_map("PERSON=PER,MISCELLANEOUS=,PERS=X")))
    assert [r["id"] for r in records] == ["a.muc", "a.muc#2"]
    assert records[0]["spans"] == [{"start": 4, "end": 10, "label": "PER"}]
    assert stats.entities == {"PER": 2} and stats.lost_total == 0
    assert stats.quirks["spans dropped by --label-map"] == 2 and stats.quirks["--label-map PERS=… matched no label"] == 1
