from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.syllables import count_syllables, syllables


def texts(text):
    return [t for _, _, t in syllables(text)]


def test_offsets_slice_the_text():
    text = "Ngày 30/01/2024, TP. Hồ Chí Minh có 1.047 người."
    for start, end, piece in syllables(text):
        assert text[start:end] == piece
    assert texts(text)[:5] == ["Ngày", "30/01/2024", ",", "TP.", "Hồ"]


def test_invisible_characters_are_never_tokens():
    assert texts("a\u200bb\ufeff c\u00ad d\x1b e") == ["a", "b", "c", "d", "e"]
    assert texts("👨\u200d👩") == ["👨", "👩"]


def test_combining_marks_stay_with_their_letter():
    assert texts("e\u0301\u0301 x") == ["e\u0301\u0301", "x"]


def test_count_syllables():
    assert count_syllables("Hội nghị, năm 2023.") == 4


def test_patterns_agree_with_underthesea(sample_texts):
    """The copied patterns must keep matching underthesea's (its CRF was trained on those units)."""
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    for text in sample_texts.values():
        for line in text.splitlines():
            assert texts(line) == tokenize(line, use_character_normalize=False, use_token_normalize=False)


def matched_where_they_stand(text, start=0, end=None):
    """The definition syllables() is a faster way to compute."""
    from pipeline.syllables import PATTERN

    end = len(text) if end is None else end
    return [(m.start(), m.end(), m.group()) for m in PATTERN.finditer(text, start, end)]


def test_edge_chunks_see_what_is_around_them():
    # "(?!$)": "UBND." at the very end is UBND + "."; mid-text it is one abbreviation
    for text in ("Gặp UBND.", "UBND. huyện", "Gặp UBND.\n", "Gặp UBND.\n x", "a@b.vn x.vn", ":D x :D"):
        assert syllables(text) == matched_where_they_stand(text)
    # a range that starts inside a chunk: the character before the range still counts
    text = "foo@bar.com x"
    for start in range(len(text)):
        assert syllables(text, start) == matched_where_they_stand(text, start)


VARIED = list("aAĐđ0159.,:;@/-_'’\n \t\u00a0\u200b\u0301Dhtp()=><%+&v") + ["http://", "www.", "v.v", "TP.", "e-mail", ":D", "3x4"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VARIED), max_size=16), st.data())
def test_same_units_as_the_patterns_matched_in_place(pieces, data):
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert syllables(text, start, end) == matched_where_they_stand(text, start, end)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Lu", "Ll", "Lt", "Lm", "Lo"]), min_size=1, max_size=12))
def test_a_chunk_of_letters_alone_is_one_unit(chunk):
    # syllables() takes any chunk made only of letters as one unit without matching the patterns
    assert matched_where_they_stand(f"x {chunk} x", 2, 2 + len(chunk)) == [(2, 2 + len(chunk), chunk)]
