from hypothesis import given, strategies as st

from pipeline.importers._tokens import detokenize, tag_spans
from pipeline.importers.base import ImportStats
from pipeline.importers.conll import sentences_record

WORDS = ["Hà Nội", "ông", "Trần Văn Bình", "nói", "ngày", "15", "Sở", "Y tế"]
PUNCTUATION = [",", ".", ":", "?", "!", "(", ")", "“", "”", '"', "'", "-", "...", "%", "/"]
TAGS = ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC", "I-ORG"]


def test_punctuation_sticks_to_its_word():
    text, _ = detokenize(["Bà", "Lan", "(", "Sở", "Y tế", ")", "nói", ":", "“", "Được", "”", ",", "rồi", "..."])
    assert text == "Bà Lan (Sở Y tế) nói: “Được”, rồi..."


def test_straight_quotes_alternate():
    text, _ = detokenize(["Anh", "nói", '"', "không", '"', "rồi", '"', "có", '"', "."])
    assert text == 'Anh nói "không" rồi "có".'


def test_plain_joins_everything_with_one_space():
    assert detokenize(["Hà Nội", ",", "(", "ngày", ")"], plain=True)[0] == "Hà Nội , ( ngày )"


def test_tag_schemes():
    assert tag_spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC"]) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC")]
    assert tag_spans(["S-PER", "B-ORG", "I-ORG", "E-ORG", "U-LOC"]) == [(0, 1, "PER"), (1, 4, "ORG"), (4, 5, "LOC")]
    assert tag_spans(["B-PER", "E-PER", "I-PER"]) == [(0, 2, "PER"), (2, 3, "PER")]  # E- closes the entity


def test_inside_without_begin_starts_an_entity_and_is_counted():
    stats = ImportStats()
    assert tag_spans(["O", "I-LOC", "I-LOC", "O", "B-PER", "I-LOC"], stats) == [(1, 3, "LOC"), (4, 5, "PER"), (5, 6, "LOC")]
    assert sum(stats.quirks.values()) == 2 and not stats.lost


def test_tag_without_prefix_is_a_lost_entity():
    stats = ImportStats()
    assert tag_spans(["PER", "O"], stats) == []
    assert stats.lost_total == 1


@given(st.lists(st.tuples(st.sampled_from(WORDS + PUNCTUATION), st.sampled_from(TAGS)), min_size=1, max_size=30))
def test_offsets_index_the_rebuilt_text(rows):
    tokens = [token for token, _ in rows]
    text, offsets = detokenize(tokens)
    assert [text[s:e] for s, e in offsets] == tokens
    assert text == text.strip() and "  " not in text
    record = sentences_record("x", [rows], ImportStats())
    assert record["text"] == text
    entities = tag_spans([tag for _, tag in rows])
    assert len(record["spans"]) == len(entities)
    for span, (first, end, label) in zip(record["spans"], entities):
        surface = text[span["start"] : span["end"]]
        assert span["label"] == label
        assert surface.startswith(tokens[first]) and surface.endswith(tokens[end - 1])
        assert surface.replace(" ", "") == "".join(tokens[first:end]).replace(" ", "")
        if not any(t in ('"', "'") for t in tokens[: end]):  # straight quotes depend on what came before
            assert surface == detokenize(tokens[first:end])[0]


@given(st.lists(st.sampled_from(TAGS), max_size=40))
def test_every_begin_or_orphan_inside_makes_one_entity(tags):
    spans = tag_spans(tags)
    opened = 0
    for index, tag in enumerate(tags):
        prefix, label = tag[0], tag[2:]
        if prefix in "BS":
            opened += 1
        elif prefix in "IE":
            previous = tags[index - 1] if index else "O"
            if previous[2:] != label or previous[0] in "OSE":
                opened += 1
    assert len(spans) == opened
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
