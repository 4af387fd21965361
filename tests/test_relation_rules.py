"""HOLDS rules on hand-written sentences: the patterns issue 4 names."""
import re

import pytest

from pipeline.relation_rules import HoldsFinder

FINDER = HoldsFinder(["đồng chí", "ông", "bà", "đại tá", "thượng tá"], ["nguyên", "tân", "quyền", "phụ trách"])
MARK = re.compile(r"\[([^\[\]]+)\]([PT])")


def parse(marked: str):
    """'[X]P' marks a PERSON, '[Y]T' a POSITION (title)."""
    text, entities, last = "", [], 0
    for m in MARK.finditer(marked):
        text += marked[last:m.start()]
        entities.append({"start": len(text), "end": len(text) + len(m.group(1)),
                         "label": "PERSON" if m.group(2) == "P" else "POSITION"})
        text += m.group(1)
        last = m.end()
    text += marked[last:]
    return text, entities


def holds(marked: str) -> list[tuple[str, str, str | None]]:
    text, entities = parse(marked)
    return [(text[entities[h.person]["start"]:entities[h.person]["end"]],
             text[entities[h.position]["start"]:entities[h.position]["end"]], h.status)
            for h in FINDER.find(text, entities, [(0, len(text))])]


@pytest.mark.parametrize("marked, expected", [
    ("Đồng chí [K’Thanh]P - [TUV]T, [Bí thư Huyện uỷ]T, [Chủ tịch HĐND huyện]T phát biểu.",
     [("K’Thanh", "TUV", None), ("K’Thanh", "Bí thư Huyện uỷ", None), ("K’Thanh", "Chủ tịch HĐND huyện", None)]),
    ("[Phó Thủ tướng Chính phủ]T [Trần Hồng Hà]P dự hội nghị.", [("Trần Hồng Hà", "Phó Thủ tướng Chính phủ", None)]),
    ("[Lê Văn Ba]P, [Giám đốc Sở Y tế]T, cho biết.", [("Lê Văn Ba", "Giám đốc Sở Y tế", None)]),
    ("Ông [Lê Văn Ba]P ([Giám đốc Sở Y tế]T) cho biết.", [("Lê Văn Ba", "Giám đốc Sở Y tế", None)]),
    ("[Giám đốc Công an tỉnh]T, Đại tá [Lê Văn Tám]P chỉ đạo.", [("Lê Văn Tám", "Giám đốc Công an tỉnh", None)]),
    ("[Phó Bí thư]T, [Chủ tịch UBND huyện]T [Ngô Đức Trọng]P phát động.",
     [("Ngô Đức Trọng", "Phó Bí thư", None), ("Ngô Đức Trọng", "Chủ tịch UBND huyện", None)]),
    ("Đồng chí [A]P - [Bí thư Tỉnh ủy]T; đồng chí [B]P - [Chủ tịch UBND tỉnh]T.",
     [("A", "Bí thư Tỉnh ủy", None), ("B", "Chủ tịch UBND tỉnh", None)]),
    ("Dự có nguyên [Chủ tịch UBND tỉnh]T [Hà Văn Dũng]P.",
     [("Hà Văn Dũng", "Chủ tịch UBND tỉnh", "nguyên")]),
    ("HĐND bầu hai [Phó Chủ tịch HĐND tỉnh]T là ông [Hồ Sỹ Quyết]P và bà [Vi Thị Hòe]P.",
     [("Hồ Sỹ Quyết", "Phó Chủ tịch HĐND tỉnh", None), ("Vi Thị Hòe", "Phó Chủ tịch HĐND tỉnh", None)]),
    ("Bộ bổ nhiệm ông [Lê Quang Thiện]P, [Phó Giám đốc Sở Xây dựng]T, giữ chức [Giám đốc Sở Xây dựng]T.",
     [("Lê Quang Thiện", "Phó Giám đốc Sở Xây dựng", None), ("Lê Quang Thiện", "Giám đốc Sở Xây dựng", None)]),
    ("HĐND miễn nhiệm chức danh [Phó Chủ tịch UBND tỉnh]T đối với ông [Ngô Tiến Lâm]P.",
     [("Ngô Tiến Lâm", "Phó Chủ tịch UBND tỉnh", None)]),
])
def test_patterns(marked, expected):
    assert sorted(holds(marked)) == sorted(expected)


@pytest.mark.parametrize("marked", [
    "[Giám đốc Sở]T yêu cầu các phòng khẩn trương triển khai.",  # a title with no name
    "Bằng khen của [Thủ tướng Chính phủ]T trao cho [Lê Văn Ba]P hôm qua.",
    "Đồng chí [Ngô Đức Trọng]P phát biểu cùng các đồng chí là [UVBTV]T.",  # others, not him
    "[Lê Văn Ba]P cảm ơn [Chủ tịch UBND tỉnh]T.",
])
def test_no_relation(marked):
    assert holds(marked) == []


def test_relations_stay_within_a_sentence():
    text, entities = parse("Tôi gặp [An]P. [Giám đốc Sở]T nói.")
    assert FINDER.find(text, entities, [(0, 14), (15, len(text))]) == []
