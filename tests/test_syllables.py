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
