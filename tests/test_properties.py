"""Offset invariants on arbitrary input (hypothesis), in the spirit of spaCy's
``test_tokenizer.py`` naughty strings: whatever comes in, every span indexes the text."""
import json
import unicodedata

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.document import offset_problems

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
PIECES = st.sampled_from([
    "Ủy ban", "uỷ", "Uỷ ban nhân dân", "Phó Bí thư", "K’Thanh", "K' Thanh", "TP.", "v.v.", "30/01/2024", "1.047",
    "(", ")", "“", "”", "...", "…", ".", ",", " - ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u200b", "\u200d", "\ufeff",
    "\u00ad", "\x00", "\x1b", "👨\u200d👩\u200d👧", "🇻🇳", "e\u0301", "a\u0323\u0302", "\u0301", "Ⅻ", "ǅ", "ﬁ", "İ",
    "A- A A+", "Chia sẻ", "phong trào “", "Phòng trào", "cuộc vận động ", "“Dân vận khéo”", "huyện Đắk Song",
    "Chủ tịch UBND huyện ", "đồng chí Ngô Đức Trọng - ", "xã Tân Thành", "các xã Đạ Sar, Lát",
])
TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(PIECES, st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " .,", max_size=12)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_offsets_always_index_the_text(nlp, text):
    doc = nlp(text)
    record = orjson.loads(doc.to_json())
    assert record["text"] == unicodedata.normalize("NFC", text)
    assert offset_problems(record) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_nfd_input_gives_the_same_document_as_nfc(nlp, text):
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    assert nlp(nfd).to_json() == nlp(nfc).to_json()


# (old style, new style) spellings of real syllables, and words spelled the same in both
TONE_PAIRS = [("hòa", "hoà"), ("Hòa", "Hoà"), ("ủy", "uỷ"), ("Ủy", "Uỷ"), ("thủy", "thuỷ"), ("khỏe", "khoẻ"),
              ("tòa", "toà"), ("lũy", "luỹ"), ("xòe", "xoè"), ("HÒA", "HOÀ"), ("ban", "ban"), ("huyện", "huyện"),
              ("Huyện", "Huyện"), ("nhân", "nhân"), ("dân", "dân"), ("giải", "giải"), ("bình", "bình"), (",", ","),
              ("Tỉnh", "Tỉnh"), ("quyết", "quyết")]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(TONE_PAIRS), min_size=1, max_size=15))
def test_tone_style_does_not_change_words(nlp, words):
    """Old and new tone placement segment identically and share norms."""
    a = nlp(" ".join(old for old, _ in words))
    b = nlp(" ".join(new for _, new in words))
    assert [(t.start, t.end, t.norm) for t in a.tokens] == [(t.start, t.end, t.norm) for t in b.tokens]


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=50))
def test_jsonl_input_with_any_text_is_annotated_or_reported(tmp_path_factory, text):
    from pipeline.runner import PipelineSpec, run

    folder = tmp_path_factory.mktemp("prop")
    src = folder / "in.jsonl"
    src.write_text(json.dumps({"id": "p", "text": text}) + "\n", encoding="utf-8")  # ensure_ascii: \ud800 escapes
    summary = run([str(src)], str(folder / "out.jsonl"), spec=PipelineSpec())
    assert summary.documents + summary.errors == 1
    if summary.documents:
        record = json.loads((folder / "out.jsonl").read_text(encoding="utf-8"))
        expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
        assert record["text"] == unicodedata.normalize("NFC", expected)
        assert offset_problems(record) == []
