"""Tests for pipeline.crf: FastCRFTagger must tag exactly like underthesea_core.

The reference is underthesea's own path: ``CRFTagger.tag(CRFFeaturizer.process(...))``
with the same feature templates and dictionary.
"""
from __future__ import annotations

import random
import struct
import unicodedata
from pathlib import Path

import joblib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from underthesea_core import CRFFeaturizer, CRFTagger

from pipeline import crf
from pipeline.crf import FastCRFTagger, parse_template, read_crfsuite_model, rust_isdigit, rust_istitle
from pipeline.errors import ModelError

DATA = Path(__file__).parents[2] / "shared" / "data"


def bundled_model_dir() -> Path:
    import underthesea.pipeline.word_tokenize as word_tokenize

    return Path(word_tokenize.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"


MODEL_DIR = bundled_model_dir()


class Reference:
    """underthesea_core's featurizer + tagger."""

    def __init__(self, model_dir: Path, dictionary: set[str] | None = None):
        if dictionary is None:
            dictionary = joblib.load(model_dir / "dictionary.bin")
        self.featurizer = CRFFeaturizer(joblib.load(model_dir / "features.bin"), dictionary)
        self.tagger = CRFTagger()
        self.tagger.load(str(model_dir / "models.bin"))

    def features(self, sentence: list[str]) -> list[list[str]]:
        return self.featurizer.process([[[syllable] for syllable in sentence]])[0]

    def tag(self, sentence: list[str]) -> list[str]:
        return self.tagger.tag(self.features(sentence))

    def tag_all(self, sentences: list[list[str]]) -> list[list[str]]:
        return [self.tag(sentence) for sentence in sentences]


@pytest.fixture(scope="module")
def dictionary() -> set[str]:
    return joblib.load(MODEL_DIR / "dictionary.bin")


@pytest.fixture(scope="module")
def fast(dictionary) -> FastCRFTagger:
    return FastCRFTagger(MODEL_DIR, dictionary=dictionary)


@pytest.fixture(scope="module")
def reference(dictionary) -> Reference:
    return Reference(MODEL_DIR, dictionary)


def mismatches(got: list[list[str]], expected: list[list[str]]) -> list[tuple[int, list[str], list[str]]]:
    assert len(got) == len(expected)
    return [(k, g, e) for k, (g, e) in enumerate(zip(got, expected)) if g != e]


# ---------------------------------------------------------------------------
# Hand-written sentences (written for this test; no corpus text)
# ---------------------------------------------------------------------------

SENTENCES = [
    "Hội nghị tổng kết công tác năm 2023 của Bộ Nội vụ diễn ra tại Hà Nội .",
    "Sáng 12/3 , Thủ tướng Chính phủ đã ký quyết định bổ nhiệm ông Nguyễn Văn An làm Thứ trưởng .",
    "Ủy ban nhân dân tỉnh Quảng Nam vừa công bố kế hoạch phát triển kinh tế - xã hội giai đoạn 2021 - 2025 .",
    "Bà Trần Thị Bích Ngọc , Phó Chủ tịch Hội đồng nhân dân thành phố , phát biểu khai mạc kỳ họp .",
    "Theo báo cáo , tổng thu ngân sách đạt 1.250 tỷ đồng , tăng 12,5 % so với cùng kỳ .",
    "Đồng chí Lê Minh Hoàng được bầu giữ chức Bí thư Tỉnh ủy nhiệm kỳ 2020 - 2025 .",
    "Ngày 1-7-2025 , các đơn vị hành chính cấp huyện chấm dứt hoạt động .",
    "Ông cho biết : \" Chúng tôi sẽ tiếp tục cải cách thủ tục hành chính \" .",
    "Quốc hội thông qua Luật Đất đai ( sửa đổi ) với 432 đại biểu tán thành .",
    "TP. HCM đề xuất thí điểm cơ chế đặc thù cho dự án đường Vành đai 3 .",
    "Sở Giáo dục và Đào tạo yêu cầu các trường không thu thêm các khoản ngoài quy định .",
    "Thượng tướng Phan Văn Giang tiếp Bộ trưởng Quốc phòng Nhật Bản .",
    "Tỉnh ủy Đắk Lắk tổ chức lễ trao Huy hiệu 50 năm tuổi Đảng cho 120 đảng viên .",
    "Giá xăng RON95 giảm 320 đồng / lít từ 15 giờ chiều nay .",
    "Chủ tịch nước Võ Văn Thưởng gửi thư khen các tập thể , cá nhân điển hình .",
    "Mưa lớn kéo dài khiến nhiều tuyến đường ở Thừa Thiên Huế bị ngập sâu .",
    "UBND huyện Bình Chánh đã xử phạt 15 trường hợp vi phạm trật tự xây dựng .",
    "Ban Chấp hành Trung ương Đảng khóa XIII họp Hội nghị lần thứ tám .",
    "Cục Thuế TP Đà Nẵng thông báo danh sách 1.024 doanh nghiệp nợ thuế .",
    "Bộ Y tế khuyến cáo người dân tiêm vắc-xin phòng cúm mùa .",
    "Phó Bí thư Thường trực Huyện ủy Đắk Song phát biểu chỉ đạo hội nghị .",
    "Đại hội đại biểu toàn quốc lần thứ XIV của Đảng dự kiến diễn ra vào đầu năm 2026 .",
    "Hơn 3.000 cán bộ , công chức được tinh giản biên chế trong năm qua .",
    "Ông Phạm Minh Chính , Ủy viên Bộ Chính trị , Thủ tướng Chính phủ , chủ trì cuộc họp .",
    "Kỳ họp thứ 7 Hội đồng nhân dân tỉnh khóa X bế mạc chiều 10/12 .",
    "Hà Nội đặt mục tiêu tăng trưởng GRDP 7 % trong năm 2024 .",
    "Việc luân chuyển cán bộ lãnh đạo phải bảo đảm đúng quy trình , công khai , minh bạch .",
    "Nhà máy thủy điện Sơn La phát điện tổ máy số 6 .",
    "Tổng Bí thư nhấn mạnh yêu cầu phòng , chống tham nhũng , tiêu cực .",
    "Trường Đại học Bách khoa Hà Nội công bố điểm chuẩn năm 2023 .",
    "CHỦ TỊCH UBND TỈNH KÝ QUYẾT ĐỊNH KỶ LUẬT GIÁM ĐỐC SỞ",
    "Đoàn công tác của Ủy ban Kiểm tra Trung ương làm việc với Ban Thường vụ Thành ủy Hải Phòng .",
    "Anh ấy nói rằng mọi việc sẽ ổn thôi .",
    "Điều 15 . Quyền và nghĩa vụ của công dân",
    "Khoản 2 Điều 8 Nghị định số 34/2016/NĐ-CP quy định như sau :",
    "Tính đến ngày 30/6 , cả nước có 63 tỉnh , thành phố trực thuộc Trung ương .",
    "Xin chào !",
    "Cảm ơn các đồng chí .",
    "Ngày 15 tháng 8 năm 1945",
    "Lý do : sức khỏe",
    "- Ông Nguyễn Văn Bình ( sinh năm 1961 ) , quê quán : Hà Tĩnh ;",
    "Giám đốc Công an tỉnh , Đại tá Trịnh Văn Giang , cho biết vụ việc đang được điều tra làm rõ .",
]

SYLLABLES = sorted({s for sentence in SENTENCES for s in sentence.split()})


def hand_written_cases() -> list[list[str]]:
    """A few hundred sentences: the ones above in several casings, cut and spliced."""
    base = [s.split() for s in SENTENCES]
    cases: list[list[str]] = [[]]
    for sentence in base:
        cases.append(sentence)
        cases.append([s.upper() for s in sentence])  # all caps
        cases.append([s.lower() for s in sentence])
        cases.append([s.title() for s in sentence])
        cases.append(sentence[:1])  # 1 syllable
        cases.append(sentence[:2])  # 2 syllables
        cases.append(sentence[:3])
        cases.append(sentence[-2:])
        cases.append(sentence[1:-1])
    rng = random.Random(2024)
    for _ in range(60):  # splices of two sentences, with numbers and punctuation
        a, b = rng.sample(base, 2)
        extra = [rng.choice(["2024", "12/3", "+5", "-7", "1.250", "2147483648", "007", ",", ".", "(", ")", "\""])]
        cases.append(a[: rng.randint(0, len(a))] + extra + b[rng.randint(0, len(b)) :])
    return cases


CASES = hand_written_cases()


def test_enough_cases():
    assert len(CASES) >= 300
    assert [] in CASES and any(len(c) == 1 for c in CASES) and any(len(c) == 2 for c in CASES)


def test_hand_written_identity(fast, reference):
    assert mismatches(fast.tag(CASES), reference.tag_all(CASES)) == []


def test_one_sentence_at_a_time(fast, reference):
    for sentence in CASES[:80]:
        assert fast.tag([sentence]) == [reference.tag(sentence)]


def test_empty_inputs(fast, reference):
    assert fast.tag([]) == []
    assert fast.tag([[]]) == [[]]
    assert reference.tag([]) == []
    got = fast.tag([[], ["Hà", "Nội"], [], ["Xin", "chào"], []])
    assert got == [[], reference.tag(["Hà", "Nội"]), [], reference.tag(["Xin", "chào"]), []]


def test_emissions_equal_summed_state_weights(fast, reference):
    """The cached per-n-gram sums equal the model weights of the featurizer's attributes."""
    labels, attributes, state, _trans = read_crfsuite_model(MODEL_DIR / "models.bin")
    attr_id = {a: i for i, a in enumerate(attributes)}
    for sentence in CASES[1:60]:
        expected = np.array(
            [sum((state[attr_id[f]] for f in feats if f in attr_id), np.zeros(len(labels)))
             for feats in reference.features(sentence)]
        ).reshape(len(sentence), len(labels))
        np.testing.assert_allclose(fast.emissions(sentence), expected, rtol=0, atol=1e-9)


def test_batches_caches_and_viterbi_paths(monkeypatch, dictionary, reference):
    """Small chunks and caches (emptied between chunks), both Viterbi variants."""
    rng = random.Random(7)
    long_sentence = [rng.choice(SYLLABLES) for _ in range(1500)]
    sentences = CASES + [long_sentence, long_sentence[:400]]
    expected = reference.tag_all(sentences)
    monkeypatch.setattr(crf, "_CHUNK_SYLLABLES", 37)
    small = FastCRFTagger(MODEL_DIR, dictionary=dictionary, cache_size=64)
    assert mismatches(small.tag(sentences), expected) == []
    assert all(len(table.index) <= 64 + 2 * 1500 for table in small._tables)
    for step_cost in (0, 10**9):  # all scalar, all lockstep
        monkeypatch.setattr(crf, "_LOCKSTEP_STEP_COST", step_cost)
        assert mismatches(small.tag(sentences), expected) == []


def test_larger_dictionary(dictionary):
    """A caller's dictionary replaces dictionary.bin, also for n-grams."""
    extra = {"tổng kết công", "hà nội", "nghị tổng", "công tác năm", "bộ nội", "xin chào", "chào"}
    bigger = set(dictionary) | extra
    fast = FastCRFTagger(MODEL_DIR, dictionary=bigger)
    reference = Reference(MODEL_DIR, bigger)
    assert mismatches(fast.tag(CASES), reference.tag_all(CASES)) == []
    tiny = FastCRFTagger(MODEL_DIR, dictionary=set())
    assert mismatches(tiny.tag(CASES), Reference(MODEL_DIR, set()).tag_all(CASES)) == []


def test_loads_dictionary_bin_by_default(fast):
    default = FastCRFTagger(MODEL_DIR)
    assert default.dictionary == fast.dictionary
    assert default.labels == ["B-W", "I-W"]


def test_empty_syllables_do_not_crash(fast):
    """underthesea_core panics on an empty syllable; FastCRFTagger tags it."""
    got = fast.tag([["Hà", "", "Nội"], [""], [" x", "y "]])
    assert [len(tags) for tags in got] == [3, 1, 2]


# ---------------------------------------------------------------------------
# Random sequences
# ---------------------------------------------------------------------------

ALPHABET = sorted(
    set(SYLLABLES[:60])
    | {"hội", "nghị", "Hội", "NGHỊ", "tổng", "kết", "Hà", "Nội", "HÀ", "NỘI", "nội", "ông", "bà", "Ông"}
    | {"ủy", "uỷ", "Ủy", "ban", "nhân", "dân", "tỉnh", "Tỉnh", "UBND", "TP.", "Đảng", "đảng", "viên"}
    | {",", ".", ":", ";", "(", ")", "\"", "-", "/", "%", "...", "?", "!"}
    | {"0", "7", "12", "2024", "+5", "-3", "007", "1.250", "12,5", "2147483647", "2147483648", "-2147483648"}
    | {"½", "²", "１２", "٣", "Σ", "ΑΣ", "ß", "İ", "ǅ", "1abc", "a b", "Hà Nội", "BOS", "EOS", "T[0]=x", "=", "_"}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(ALPHABET), max_size=12), max_size=6))
def test_random_sequences_identity(fast, reference, sentences):
    assert fast.tag(sentences) == reference.tag_all(sentences)


# Characters whose case mappings are the same in Python's and Rust's Unicode tables
# (a character added in a later Unicode version may lower-case differently). Control
# characters are left out: the segmenter never puts one in a syllable (docs/output-format.md),
# and Python and Rust disagree on whether some of them ("\x1f") are whitespace.
# A lower-case letter without an upper case in Python's tables may have gained one in Rust's
# newer tables ("ɤ" got "Ɤ" in Unicode 15, after Python 3.11's Unicode 14): left out too.
SYLLABLE_CHARS = st.one_of(
    st.characters(max_codepoint=0x52F, blacklist_categories=("Cs", "Cc"), blacklist_characters=" "),
    st.characters(min_codepoint=0x1E00, max_codepoint=0x1EFF),  # Latin Extended Additional (Vietnamese)
).filter(lambda c: not (unicodedata.category(c) == "Ll" and c.upper() == c))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(SYLLABLE_CHARS, min_size=1, max_size=6), max_size=8))
def test_random_strings_identity(fast, reference, sentence):
    """Arbitrary syllables (no spaces, so underthesea_core cannot panic)."""
    assert fast.tag([sentence]) == [reference.tag(sentence)]


# ---------------------------------------------------------------------------
# Template semantics against the featurizer
# ---------------------------------------------------------------------------

TOKENS = ["+5", "-3", "2147483647", "2147483648", "-2147483648", "-2147483649", "１２", "½", "0005", "5.0", "+",
          "-", "+-1", "٣", "²", "1abc", "hà", "Hà", "HÀ", "ß", "İ", "ǅ", "ǆ", "Σ", "ΑΣ", "a b", "x  y", "Đ", "đ"]


def test_isdigit_istitle_lower_match_featurizer():
    featurizer = CRFFeaturizer(["T[0].isdigit", "T[0].istitle", "T[0].lower", "T[0].is_in_dict"], {"hà", "σ"})
    for token in TOKENS:
        feats = featurizer.process([[[token]]])[0][0]
        assert feats == [
            f"T[0].isdigit={rust_isdigit(token)}",
            f"T[0].istitle={rust_istitle(token)}",
            f"T[0].lower={token.lower()}",
            f"T[0].is_in_dict={token.lower() in {'hà', 'σ'}}",
        ], token


def test_boundaries_match_featurizer():
    """BOS when the window starts before the sentence, else EOS when it ends after it."""
    templates = ["T[-2]", "T[2]", "T[-2,-1]", "T[-1,1]", "T[0,2].istitle", "T[-2,0].is_in_dict", "T[1,2].lower"]
    featurizer = CRFFeaturizer(templates, set())
    for n in range(0, 6):
        sentence = [f"s{k}" for k in range(n)]
        for i, feats in enumerate(featurizer.process([[[s] for s in sentence]])[0]):
            for syntax, feat in zip(templates, feats):
                a, b, _function = parse_template(syntax)
                value = feat.split("=", 1)[1]
                if i + a < 0:
                    assert value == "BOS", (n, i, feat)
                elif i + b >= n:
                    assert value == "EOS", (n, i, feat)
                else:
                    assert value not in ("BOS", "EOS"), (n, i, feat)


def test_parse_template():
    assert parse_template("T[0]") == (0, 0, None)
    assert parse_template("T[-2,-1].lower") == (-2, -1, "lower")
    assert parse_template("T[0,2].istitle") == (0, 2, "istitle")
    for bad in ["T[0].foo", "T[0][1]", "T[1,0]", "T[0].lower.x", "W[0]", " T[0]", "T[0]x"]:
        with pytest.raises(ModelError):
            parse_template(bad)


def test_unknown_template_fails_at_load(tmp_path):
    (tmp_path / "models.bin").write_bytes((MODEL_DIR / "models.bin").read_bytes())
    joblib.dump(["T[0]", "T[0].lower", "T[0].startswith_upper"], tmp_path / "features.bin")
    joblib.dump({"hà nội"}, tmp_path / "dictionary.bin")
    with pytest.raises(ModelError, match="startswith_upper"):
        FastCRFTagger(tmp_path)


def test_missing_or_corrupt_model(tmp_path):
    with pytest.raises(ModelError):
        FastCRFTagger(tmp_path)
    (tmp_path / "models.bin").write_bytes(b"not a model at all" * 10)
    joblib.dump(["T[0]"], tmp_path / "features.bin")
    with pytest.raises(ModelError):
        FastCRFTagger(tmp_path, dictionary=set())
    truncated = (MODEL_DIR / "models.bin").read_bytes()[:100_000]
    (tmp_path / "models.bin").write_bytes(truncated)
    with pytest.raises(ModelError):
        FastCRFTagger(tmp_path, dictionary=set())


def test_read_crfsuite_model():
    labels, attributes, state, transitions = read_crfsuite_model(MODEL_DIR / "models.bin")
    assert labels == ["B-W", "I-W"]
    assert state.shape == (len(attributes), 2) and transitions.shape == (2, 2)
    assert "T[0].lower=hành" in attributes and "T[-2]=BOS" in attributes
    assert np.count_nonzero(state) > 50_000


# ---------------------------------------------------------------------------
# Another model: three labels, wider templates (written here in CRFsuite format)
# ---------------------------------------------------------------------------


def _cqdb(strings: list[str]) -> bytes:
    """A CQDB with backward links (the hash tables, unused by both readers, left empty)."""
    data = b""
    offsets = []
    for ident, string in enumerate(strings):
        key = string.encode("utf-8") + b"\0"
        offsets.append(24 + 2048 + len(data))
        data += struct.pack("<2I", ident, len(key)) + key
    bwd_offset = 24 + 2048 + len(data)
    size = bwd_offset + 4 * len(strings)
    header = b"CQDB" + struct.pack("<5I", size, 0, 0x62445371, len(strings), bwd_offset)
    return header + bytes(2048) + data + struct.pack(f"<{len(strings)}I", *offsets)


def write_crfsuite_model(path: Path, labels: list[str], attributes: list[str],
                         state: dict[tuple[int, int], float], transitions: dict[tuple[int, int], float]) -> None:
    features = [(0, a, y, w) for (a, y), w in state.items()] + [(1, p, y, w) for (p, y), w in transitions.items()]
    feat = b"FEAT" + struct.pack("<2I", 12 + 20 * len(features), len(features))
    feat += b"".join(struct.pack("<3Id", *f) for f in features)
    label_db, attr_db = _cqdb(labels), _cqdb(attributes)
    off_labels = 48 + len(feat)
    off_attrs = off_labels + len(label_db)
    end = off_attrs + len(attr_db)
    header = b"lCRF" + struct.pack("<I", end) + b"FOMC" + struct.pack(
        "<9I", 100, len(features), len(labels), len(attributes), 48, off_labels, off_attrs, end, end)
    path.write_bytes(header + feat + label_db + attr_db)


WIDE_TEMPLATES = ["T[-3]", "T[0]", "T[3].istitle", "T[0].lower", "T[-1,0]", "T[0,3].lower", "T[-3,-1].is_in_dict",
                  "T[1].isdigit", "T[0,0]", "T[-2,2].istitle", "T[2].is_in_dict", "T[0,1]", "T[-1].lower"]
WIDE_ALPHABET = ["hà", "Hà", "nội", "Nội", "HÀ", "ông", "Ông", "12", "+3", "x", ",", ".", "a b", "BOS", "EOS"]


@pytest.fixture(scope="module")
def wide_model(tmp_path_factory) -> Path:
    """Random weights for every attribute the featurizer produces on some random sentences."""
    path = tmp_path_factory.mktemp("wide_model")
    dictionary = {"hà nội", "ông", "hà", "x , .", "nội ông hà"}
    joblib.dump(WIDE_TEMPLATES, path / "features.bin")
    joblib.dump(dictionary, path / "dictionary.bin")
    featurizer = CRFFeaturizer(WIDE_TEMPLATES, dictionary)
    rng = random.Random(11)
    sentences = [[[rng.choice(WIDE_ALPHABET)] for _ in range(rng.randint(1, 9))] for _ in range(300)]
    attributes = sorted({f for sent in featurizer.process(sentences) for feats in sent for f in feats})
    attributes = [a for a in attributes if rng.random() < 0.9]  # some attributes unknown to the model
    labels = ["B", "I", "O"]
    state = {(a, y): rng.uniform(-2, 2) for a in range(len(attributes)) for y in range(3) if rng.random() < 0.8}
    transitions = {(p, y): rng.uniform(-1, 1) for p in range(3) for y in range(3)}
    write_crfsuite_model(path / "models.bin", labels, attributes, state, transitions)
    return path


@pytest.fixture(scope="module")
def wide(wide_model) -> tuple[FastCRFTagger, Reference]:
    return FastCRFTagger(wide_model), Reference(wide_model)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WIDE_ALPHABET), max_size=10), max_size=5))
def test_wide_model_identity(wide, sentences):
    fast, reference = wide
    assert fast.tag(sentences) == reference.tag_all(sentences)


def test_wide_model_layout(wide):
    fast, reference = wide
    rng = random.Random(5)
    sample = [[rng.choice(WIDE_ALPHABET) for _ in range(8)] for _ in range(50)]
    assert {tag for tags in reference.tag_all(sample) for tag in tags} == {"B", "I", "O"}
    assert fast.labels == ["B", "I", "O"]
    assert [table.m for table in fast._tables] == [1, 2, 3, 4, 5]
    assert fast._pad == 3


# ---------------------------------------------------------------------------
# VLSP 2013 test set (external data, read at test time)
# ---------------------------------------------------------------------------


def vlsp_test_sentences(folder: Path) -> list[list[str]]:
    """Syllables of each line: words without their /TAG, split on "_" (empty pieces dropped)."""
    sentences = []
    for file in sorted(folder.glob("*.pos")):
        for line in file.read_text(encoding="utf-8").splitlines():
            syllables = []
            for token in line.split():
                word = token.rsplit("/", 1)[0] if "/" in token else token
                syllables.extend(s for s in word.split("_") if s)
            if syllables:
                sentences.append(syllables)
    return sentences


@pytest.mark.slow
def test_vlsp2013_test_identity(fast, reference):
    folder = DATA / "vlsp2013_ws" / "test"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    sentences = vlsp_test_sentences(folder)
    assert len(sentences) > 2000
    expected = reference.tag_all(sentences)
    got = fast.tag(sentences)
    bad_tags = sum(g != e for got_s, exp_s in zip(got, expected) for g, e in zip(got_s, exp_s))
    assert [len(s) for s in got] == [len(s) for s in expected]
    assert bad_tags == 0
