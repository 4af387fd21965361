import pytest

from pipeline.stages.sentences import SentenceRules, split_block


@pytest.fixture(scope="module")
def rules():
    return SentenceRules.default()


def split(text, rules):
    return [text[s.start : s.end] for s in split_block(text, 0, len(text), rules)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Câu thứ nhất. Câu thứ hai.", ["Câu thứ nhất.", "Câu thứ hai."]),
        ("Làm việc tại TP. Hồ Chí Minh và TP. Buôn Ma Thuột.", ["Làm việc tại TP. Hồ Chí Minh và TP. Buôn Ma Thuột."]),
        ("Báo cáo của TS. Nguyễn An, ThS. Lê Bình và GS.TS. Trần Cường.", ["Báo cáo của TS. Nguyễn An, ThS. Lê Bình và GS.TS. Trần Cường."]),
        ("Ông PGS. Hà Duy và Th.S Phạm Em dự.", ["Ông PGS. Hà Duy và Th.S Phạm Em dự."]),
        ("Ngày 30/01/2024, có 1.047 cá nhân. Năm học 2022-2023 kết thúc.", ["Ngày 30/01/2024, có 1.047 cá nhân.", "Năm học 2022-2023 kết thúc."]),
        ("Gồm lúa, ngô, khoai, v.v. Sản lượng tăng.", ["Gồm lúa, ngô, khoai, v.v.", "Sản lượng tăng."]),
        ("Gồm lúa, ngô, v.v. và nhiều loại khác.", ["Gồm lúa, ngô, v.v. và nhiều loại khác."]),
        ("Chưa xong... Ngày mai làm tiếp.", ["Chưa xong...", "Ngày mai làm tiếp."]),
        ("Chưa xong… nhưng sẽ làm tiếp.", ["Chưa xong… nhưng sẽ làm tiếp."]),
        ("Ông nói: “Phải làm ngay.” Mọi người đồng ý.", ["Ông nói: “Phải làm ngay.”", "Mọi người đồng ý."]),
        ("Tại sao? Vì dân.", ["Tại sao?", "Vì dân."]),
        ("Nội dung gồm: 1. Tuyên truyền. 2. Kiểm tra.", ["Nội dung gồm: 1. Tuyên truyền.", "2. Kiểm tra."]),
        ("Ông Nguyễn V. An phát biểu.", ["Ông Nguyễn V. An phát biểu."]),
        ("Kết quả tốt. - Tiếp tục triển khai.", ["Kết quả tốt.", "- Tiếp tục triển khai."]),
        ("Không có dấu chấm cuối", ["Không có dấu chấm cuối"]),
    ],
)
def test_split(rules, text, expected):
    assert split(text, rules) == expected


def test_offsets_index_the_text_inside_a_block(rules):
    text = "xx Câu một. Câu hai. yy"
    sentences = split_block(text, 3, 20, rules)
    assert [text[s.start : s.end] for s in sentences] == ["Câu một.", "Câu hai."]


def test_caption_is_its_own_sentence(nlp):
    text = "(Các đại biểu tham dự hội nghị)\nNăm 2023 là năm bản lề. Huyện đạt nhiều kết quả."
    doc = nlp(text)
    assert [doc.text[s.start : s.end] for s in doc.sentences] == [
        "(Các đại biểu tham dự hội nghị)",
        "Năm 2023 là năm bản lề.",
        "Huyện đạt nhiều kết quả.",
    ]


@pytest.mark.parametrize("lower", ["để", "ở", "ấy", "ủy", "ừ", "ỹ"])
def test_lower_case_vietnamese_letters_never_start_a_sentence(rules, lower):
    """Latin Extended Additional interleaves upper and lower case: a character range like À-Ỹ is wrong."""
    text = f"Chạy việc, chạy dự án,… {lower} lừa đảo."
    assert split(text, rules) == [text]


@pytest.mark.parametrize("upper", ["Để", "Ở", "Ấy", "Ủy", "Ừ"])
def test_upper_case_vietnamese_letters_start_a_sentence(rules, upper):
    assert split(f"Xong rồi. {upper} là vậy.", rules) == ["Xong rồi.", f"{upper} là vậy."]
