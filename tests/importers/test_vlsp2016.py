import pytest

from pipeline.errors import GoldFormatError
from pipeline.importers import vlsp2016
from pipeline.importers.base import ImportStats

ROWS = """Bà\tNc\tB-NP\tO\tNone
Nguyễn_Thị_Hoa\tNp\tB-NP\tB-PER\tNone
(\tCH\tO\tO\tNone
Sở\tN\tB-NP\tB-ORG\tNone
Giáo_dục\tN\tI-NP\tI-ORG\tNone
)\tCH\tO\tO\tNone
về\tV\tB-VP\tO\tNone
thôn\tN\tB-NP\tB-LOC\tlocProvince
Đồng_Xuân\tNp\tI-NP\tI-LOC\tlocProvince
.\tCH\tO\tO\tNone

Phường\tN\tB-NP\tI-LOC\tNone
Tân_Lập\tNp\tI-NP\tI-LOC\tNone
mở\tV\tB-VP\tO\tNone
hội\tN\tB-NP\tO\tNone
"""


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "test.txt"
    path.write_text(ROWS, encoding="utf-8")
    return path


def surfaces(record):
    return [(record["text"][s["start"]:s["end"]], s["label"]) for s in record["spans"]]


def test_each_sentence_is_a_record_with_natural_spacing(source):
    stats = ImportStats()
    first, second = vlsp2016.read(source, stats)
    assert first["id"] == "test.txt:0" and second["id"] == "test.txt:1"
    assert first["text"] == "Bà Nguyễn Thị Hoa (Sở Giáo dục) về thôn Đồng Xuân."
    assert surfaces(first) == [("Nguyễn Thị Hoa", "PER"), ("Sở Giáo dục", "ORG"), ("thôn Đồng Xuân", "LOC")]
    assert surfaces(second) == [("Phường Tân Lập", "LOC")]  # I- without B- opens the entity
    assert stats.quirks == {"entity opened by I- (IOB1, or B- missing)": 1} and not stats.lost


def test_plain_spacing_for_the_evaluator(source):
    first = next(vlsp2016.read(source, plain=True))
    assert first["text"] == "Bà Nguyễn Thị Hoa ( Sở Giáo dục ) về thôn Đồng Xuân ."
    assert surfaces(first)[1] == ("Sở Giáo dục", "ORG")


def test_too_few_columns_is_an_error(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Hà_Nội\tNp\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="word POS chunk NER"):
        list(vlsp2016.read(path))
