import pytest

from pipeline.stages.segment import apostrophe_names
from pipeline.syllables import syllables


def words(nlp, text):
    doc = nlp(text)
    return [doc.token_text(t) for t in doc.tokens]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Phó Bí thư Thường trực Huyện ủy", ["Phó Bí thư", "Thường trực", "Huyện ủy"]),
        ("Chủ tịch Ủy ban nhân dân huyện Đắk Song", ["Chủ tịch", "Ủy ban nhân dân", "huyện", "Đắk Song"]),
        ("Chủ tịch Hội đồng nhân dân tỉnh Đắk Nông", ["Chủ tịch", "Hội đồng nhân dân", "tỉnh", "Đắk Nông"]),
    ],
)
def test_domain_words_are_whole(nlp, text, expected):
    assert words(nlp, text) == expected


@pytest.mark.parametrize("old, new", [("Huyện ủy", "Huyện uỷ"), ("hòa giải", "hoà giải"), ("Ủy ban nhân dân", "Uỷ ban nhân dân")])
def test_tone_variants_segment_the_same_and_share_norms(nlp, old, new):
    a, b = nlp(f"Đồng chí Bí thư {old} phát biểu."), nlp(f"Đồng chí Bí thư {new} phát biểu.")
    assert [(t.start, t.end, t.norm) for t in a.tokens] == [(t.start, t.end, t.norm) for t in b.tokens]


def test_norm_is_lower_old_style_one_apostrophe(nlp):
    doc = nlp("HUYỆN UỶ và K'Thanh")
    assert [t.norm for t in doc.tokens] == ["huyện ủy", "và", "k’thanh"]


def test_apostrophe_space_names_are_one_word(nlp):
    assert words(nlp, "Đồng chí K’ Thanh và H’ Mai Êban dự họp.")[1:4] == ["K’ Thanh", "và", "H’ Mai"]


def test_apostrophe_rule_needs_a_capitalised_name():
    text = "Anh ’ ta"
    sent = syllables(text)
    assert apostrophe_names(sent, [True] * (len(sent) - 1)) == []


def test_words_never_cross_a_line_break_or_invisible_character(nlp):
    assert words(nlp, "Ủy ban\u200bnhân dân") == ["Ủy ban", "nhân dân"]
    doc = nlp("Ủy ban nhân\ndân tỉnh")  # a wrapped line: one block, one sentence
    assert all("\n" not in doc.token_text(t) for t in doc.tokens)


def test_ws_flag(nlp):
    doc = nlp("Hà Nội, Việt Nam.")
    assert [(doc.token_text(t), t.ws) for t in doc.tokens] == [("Hà Nội", False), (",", True), ("Việt Nam", False), (".", False)]


@pytest.mark.parametrize(
    "words_in, expected_starts",
    [
        (["huyện", "Tân", "Biên", "trao"], [True, True, False, True]),  # name glued to the words around it
        (["toàn", "quốc", "Hội"], [True, False, True]),  # common word glued to a name
        (["ĐBQH", "Hà", "Thị"], [True, True, False]),  # acronym glued to a name
        (["Hội", "nghị"], [True, False]),  # a capitalised common word is fine
        (["UBND", "TP"], [True, False]),  # two acronyms stay as the CRF had them
    ],
)
def test_split_at_case_changes(words_in, expected_starts):
    from pipeline.stages.segment import split_at_case_changes

    sent = [(0, 0, w) for w in words_in]
    starts = [True] + [False] * (len(words_in) - 1)  # the CRF made one word of everything
    split_at_case_changes(sent, starts)
    assert starts == expected_starts


@pytest.mark.parametrize(
    "words_in, expected_starts",
    [
        ([",", "Bích", "hào", "hứng"], [True, True, True, False]),  # a given name glued to a verb
        (["nói", "Minzy", "tố"], [True, True, True]),  # a foreign name (not a dictionary word)
        ([",", "An", "ninh", "mạng"], [True, True, False, False]),  # a name opening a dictionary word
        ([",", "Do", "vậy"], [True, True, False]),  # not a name: the CRF's word stands
        (["“", "Bích", "hào", "hứng"], [True, True, False, False]),  # opening a quote: may be any word
    ],
)
def test_name_split_from_the_lower_case_words_glued_to_it(words_in, expected_starts):
    from pipeline.stages.segment import split_at_case_changes

    dictionary = {"hào hứng", "an ninh", "an", "do", "bích", "tố"}
    names = {"Bích", "An"}
    sent = [(0, 0, w) for w in words_in]
    starts = [True, True] + [False] * (len(words_in) - 2)  # the CRF glued all but the first
    split_at_case_changes(sent, starts, lambda w: w.lower() in dictionary,
                          lambda s: s in names or s.lower() not in dictionary)
    assert starts == expected_starts


def test_segmenter_splits_a_name_from_the_verb_after_it(nlp):
    assert words(nlp, "Hôm qua, Bích hào hứng kể chuyện.")[:4] == ["Hôm qua", ",", "Bích", "hào hứng"]
    assert words(nlp, "Anh Hùng ngậm ngùi.")[:3] == ["Anh", "Hùng", "ngậm ngùi"]


def test_version_names_the_name_syllables_it_splits_with():
    from pipeline import load

    with_names = load(stages=["segment"]).versions["segment"]
    without = load(stages=["segment"], overrides={"segment.name_syllables": []}).versions["segment"]
    assert "+names-" in with_names and "+names-" not in without
