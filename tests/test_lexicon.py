from pipeline.lexicon import Lexicon, match_key


def test_matches_fold_tone_case_and_apostrophes():
    lex = Lexicon(["Huyện ủy", "Đắk N’Drung"])
    keys = [match_key(s) for s in ["HUYỆN", "Uỷ", "Đắk", "N'Drung"]]
    assert lex.matches(keys) == [(0, 2), (2, 4)]


def test_longest_match_wins_and_single_syllables_are_ignored():
    lex = Lexicon(["Bí thư", "Phó Bí thư", "huyện"])
    assert lex.size == 2
    assert lex.matches(["phó", "bí", "thư"]) == [(0, 3)]


def test_no_match_across_a_forbidden_join():
    lex = Lexicon(["Ủy ban nhân dân"])
    keys = ["ủy", "ban", "nhân", "dân"]
    assert lex.matches(keys, [True, False, True]) == []
    assert lex.matches(keys, [True, True, True]) == [(0, 4)]


def test_fingerprint_changes_with_entries():
    assert Lexicon(["Bí thư"]).fingerprint != Lexicon(["Bí thư", "Huyện ủy"]).fingerprint
    assert Lexicon(["Huyện uỷ"]).fingerprint == Lexicon(["huyện ủy"]).fingerprint
