import unicodedata

import pytest

from pipeline.document import Document
from pipeline.stages.normalize import BlockRules, create, find_blocks


@pytest.fixture(scope="module")
def rules():
    return BlockRules.default()


def kinds(text, rules):
    return [(text[b.start : b.end], b.kind) for b in find_blocks(text, rules)]


def test_site_chrome_title_caption_byline(rules):
    text = (
        "A- A A+ | Tăng tương phản Giảm tương phản\n\n"
        "Huyện tổng kết phong trào thi đua\n\n"
        "Sáng nay, Ủy ban nhân dân huyện tổ chức hội nghị.\n\n"
        "(Các đại biểu dự hội nghị)\n\n"
        "Hội nghị đã khen thưởng nhiều tập thể.\n\n"
        "Trần Văn Hải\n"
    )
    assert kinds(text, rules) == [
        ("A- A A+ | Tăng tương phản Giảm tương phản", "boilerplate"),
        ("Huyện tổng kết phong trào thi đua", "title"),
        ("Sáng nay, Ủy ban nhân dân huyện tổ chức hội nghị.", "paragraph"),
        ("(Các đại biểu dự hội nghị)", "caption"),
        ("Hội nghị đã khen thưởng nhiều tập thể.", "paragraph"),
        ("Trần Văn Hải", "byline"),
    ]


@pytest.mark.parametrize(
    "line",
    ["Chia sẻ | In bài | Gửi email", "Lượt xem: 1.234", "Cỡ chữ: A- A A+", "***", "Tin liên quan", "Từ khóa: thi đua, khen thưởng"],
)
def test_boilerplate_lines(rules, line):
    assert rules.is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Người dân có thể chia sẻ ý kiến qua Zalo của xã về các thủ tục hành chính.",
        "Hội nghị tổng kết phong trào thi đua yêu nước năm 2023.",
    ],
)
def test_sentences_mentioning_widgets_are_not_boilerplate(rules, line):
    assert not rules.is_boilerplate(line)


def test_caption_must_be_wholly_in_parentheses(rules):
    text = "Mở đầu bài viết dài hơn một dòng.\n(Ảnh 1) và (ảnh 2) minh họa cho bài.\n(Đại biểu dự hội nghị)\nKết thúc."
    got = dict(kinds(text, rules))
    assert got["(Ảnh 1) và (ảnh 2) minh họa cho bài."] == "paragraph"
    assert got["(Đại biểu dự hội nghị)"] == "caption"


def test_wrapped_line_is_joined_but_new_paragraph_is_not(rules):
    text = "Đây là một câu bị ngắt dòng ở giữa vì\nkhổ giấy hẹp.\nĐoạn mới bắt đầu ở đây."
    got = kinds(text, rules)
    assert got[0][0] == "Đây là một câu bị ngắt dòng ở giữa vì\nkhổ giấy hẹp."
    assert got[1][0] == "Đoạn mới bắt đầu ở đây."


def test_long_last_paragraph_is_not_a_byline(rules):
    text = "Tiêu đề\n\nNội dung thứ nhất.\n\nĐồng chí Bí thư nhấn mạnh nhiều nội dung quan trọng trong năm tới."
    assert kinds(text, rules)[-1][1] == "paragraph"


def test_source_byline(rules):
    text = "Tiêu đề\n\nNội dung thứ nhất.\n\nTheo Báo Nhân Dân"
    assert kinds(text, rules)[-1] == ("Theo Báo Nhân Dân", "byline")


def test_nfc_composes_without_deleting(rules):
    stage = create({}, __import__("pipeline.config", fromlist=["x"]).configs_dir())
    raw = unicodedata.normalize("NFD", "Hội nghị\u200b tổng kết")
    doc = stage([Document(id="a", text=raw)])[0]
    assert doc.text == "Hội nghị\u200b tổng kết"
    assert [doc.text[b.start : b.end] for b in doc.blocks] == ["Hội nghị\u200b tổng kết"]


def test_invisible_characters_stay_out_of_block_edges(rules):
    text = "\ufeff\u200bNội dung chính.\u200b\r\n"
    (block,) = find_blocks(text, rules)
    assert text[block.start : block.end] == "Nội dung chính."


def test_empty_and_blank_text(rules):
    assert find_blocks("", rules) == []
    assert find_blocks(" \n\t\n\u200b", rules) == []


@pytest.mark.parametrize("first, joined", [("ở", True), ("để", True), ("Ở", False), ("Ủy", False)])
def test_wrapped_line_detection_uses_real_case(rules, first, joined):
    text = f"Dòng đầu chưa hết câu vì\n{first} dòng sau."
    assert (len(find_blocks(text, rules)) == 1) == joined


@pytest.mark.parametrize("byline", ["Mộc Miên (Tổng hợp)", "Hà Anh (TTXVN)", "PHẠM TUÂN"])
def test_byline_shapes(rules, byline):
    text = f"Tiêu đề\n\nNội dung thứ nhất.\n\n{byline}"
    assert kinds(text, rules)[-1] == (byline, "byline")


def test_lowercase_last_line_is_not_a_byline(rules):
    text = "Tiêu đề\n\nNội dung thứ nhất.\n\nvà nhiều hoạt động khác"
    assert kinds(text, rules)[-1][1] == "paragraph"


@pytest.mark.parametrize(
    "line, caption",
    [
        ("Ảnh TỰ TRUNG", True),
        ("Ảnh VGP / Nguyễn Hoàng", True),
        ("- Ảnh: Hà Nhân", True),
        ("Ông Trần Quốc An - Ảnh: TTXVN", True),
        ("Clip: Hội nghị tổng kết công tác năm", True),
        ("Ảnh hưởng của mưa lũ đến sản xuất", False),
        ("Ảnh hưởng của mưa lũ đến sản xuất nông nghiệp là rất lớn.", False),
    ],
)
def test_photo_credits_are_captions(rules, line, caption):
    text = f"Tiêu đề\n\nNội dung thứ nhất.\n\n{line}\n\nNội dung cuối cùng của bài viết này."
    assert (dict(kinds(text, rules))[line] == "caption") == caption
