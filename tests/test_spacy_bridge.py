import pickle
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.spacy_bridge import keep_lexemes, words_and_spaces
from pipeline.document import Token


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnpipe.WordTokenizer.v1"}}})


def test_tokens_are_vnpipe_words_and_norms_are_folded(blank):
    doc = blank("Phó Bí thư Huyện uỷ phát biểu.")
    assert [t.text for t in doc] == ["Phó Bí thư", "Huyện uỷ", "phát biểu", "."]
    assert doc[1].norm_ == "huyện ủy"


@pytest.mark.parametrize("text", ["Thành uỷ Hoà Bình – “Văn hoá” ’s", "Hà Nội\n\n– ‘Uỷ ban’  ,", "", "  \u200b"])
def test_each_spacy_token_has_its_vnpipe_norm_and_fillers_their_lexemes(blank, text):
    from pipeline import load
    from pipeline.spacy_bridge import to_spacy_doc

    doc = load(stages=["segment"])(text)
    spacy_doc, words, norms = to_spacy_doc(blank.vocab, doc)
    _, _, owners = words_and_spaces(doc.text, doc.tokens, 0, len(doc.text))
    expected = [doc.tokens[o].norm if o >= 0 else blank.vocab[w].norm_ for o, w in zip(owners, words)]
    assert [t.norm_ for t in spacy_doc] == norms == expected


def test_norms_are_set_on_a_vocab_without_a_norm_getter():
    from spacy.vocab import Vocab

    from pipeline import load
    from pipeline.spacy_bridge import to_spacy_doc

    doc = load(stages=["segment"])("Thành uỷ Hoà Bình\n– họp")
    spacy_doc, _, norms = to_spacy_doc(Vocab(), doc)
    assert [t.norm_ for t in spacy_doc] == norms
    assert norms[:2] == ["thành ủy", "hòa bình"]


def test_gaps_that_are_not_one_space_become_filler_tokens():
    text = "  Hai  khoảng\n\ntrắng"
    tokens = [Token(2, 5, "hai", False), Token(7, 13, "khoảng", False), Token(15, 20, "trắng", False)]
    words, spaces, owners = words_and_spaces(text, tokens, 0, len(text))
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces)) == text
    assert owners == [-1, 0, -1, 1, -1, 2]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="aăHà Nội\n\t \u200b.,", max_size=40))
def test_spacy_doc_reproduces_the_text(blank, text):
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    assert blank(text).text == text


def test_tokenizer_pickles(blank):
    again = pickle.loads(pickle.dumps(blank.tokenizer))
    assert [t.text for t in again("Ủy ban nhân dân tỉnh")] == ["Ủy ban nhân dân", "tỉnh"]


def test_kept_lexemes_outlive_a_memory_zone(blank):
    keep_lexemes(blank.vocab, ["Huyện ủy"])
    with blank.memory_zone():
        blank.vocab["Thường trực"]
        assert "Thường trực" in blank.vocab.strings
    assert "Huyện ủy" in blank.vocab.strings
    assert "Thường trực" not in blank.vocab.strings  # made in the zone: freed with it


def test_stretches_cut_long_sentences_at_word_edges():
    from pipeline import load
    from pipeline.spacy_bridge import stretches

    doc = load(stages=["segment"])("Ông Nguyễn Văn An phát biểu tại hội nghị tỉnh")
    words = [(t.start, t.end) for t in doc.tokens]
    assert stretches(doc, 0, len(doc.text), 100) == [(0, len(doc.text))]  # short: one stretch
    parts = stretches(doc, 0, len(doc.text), 2)
    assert parts[0][0] == 0 and parts[-1][1] == len(doc.text)
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:]))  # nothing lost between stretches
    assert all(sum(s <= w[0] and w[1] <= e for w in words) <= 2 for s, e in parts)
    assert {s for s, _ in parts[1:]} <= {w[0] for w in words}  # cuts fall on word starts


def test_spacy_imports_without_its_cli_and_the_cli_still_works():
    """In a fresh interpreter (this one has imported spaCy already): the bridge's import of spaCy
    skips spacy.cli, and spacy.cli and spacy.info still work afterwards."""
    import subprocess
    import sys

    code = (
        "import sys, pipeline.spacy_bridge, spacy\n"
        "assert 'spacy.cli' not in sys.modules and not hasattr(spacy, 'cli')\n"
        "import spacy.cli\n"
        "assert spacy.cli.train.__name__ == 'spacy.cli.train'\n"
        "assert spacy.info()['spacy_version'] == spacy.__version__\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_lexemes_compute_only_what_the_model_and_rules_read():
    from spacy.attrs import IS_PUNCT, IS_SPACE, IS_STOP, LIKE_URL, NORM, PREFIX, SHAPE, SUFFIX

    from pipeline.spacy_bridge import compute_only_model_attributes

    nlp = spacy.load(Path(__file__).resolve().parents[1] / "models" / "ner")
    compute_only_model_attributes(nlp)
    getters = nlp.vocab.lex_attr_getters
    assert {NORM, PREFIX, SUFFIX, SHAPE, IS_PUNCT, IS_SPACE} <= set(getters)
    assert IS_STOP not in getters and LIKE_URL not in getters
    blank = spacy.blank("vi")
    compute_only_model_attributes(blank)  # no model features found: everything is kept
    assert IS_STOP in blank.vocab.lex_attr_getters


def test_fewer_lexeme_attributes_change_no_entity(sample_texts, monkeypatch):
    from pipeline import load, spacy_bridge

    texts = list(sample_texts.values()) + ["“ Ông Ngô Đức Trọng ” … ' Bộ GD & ĐT ' !"]
    trimmed = [doc.entities for doc in load().pipe(texts)]
    monkeypatch.setattr(spacy_bridge, "compute_only_model_attributes", lambda nlp: None)
    assert [doc.entities for doc in load().pipe(texts)] == trimmed


def test_folded_embedding_mixer_computes_what_the_model_computed(sample_texts):
    import numpy

    from pipeline import load
    from pipeline.spacy_bridge import fold_embedding_mixers, to_spacy_doc

    model_dir = Path(__file__).resolve().parents[1] / "models" / "ner"
    plain, folded = spacy.load(model_dir), spacy.load(model_dir)
    assert fold_embedding_mixers(folded) == 1
    embed = folded.get_pipe("tok2vec").model.get_ref("embed")
    assert "with_array(folded_hashembed_maxout)" in [layer.name for layer in embed.layers]
    segmented = list(load(stages=["segment"]).pipe(sample_texts.values()))

    def annotate(nlp):
        docs = [to_spacy_doc(nlp.vocab, doc, s.start, s.end)[0] for doc in segmented for s in doc.sentences]
        vectors = nlp.get_pipe("tok2vec").predict(docs)
        return vectors, [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(docs)]

    (plain_vectors, plain_ents), (folded_vectors, folded_ents) = annotate(plain), annotate(folded)
    assert folded_ents == plain_ents and any(plain_ents)
    assert all(numpy.allclose(p, f, atol=1e-4) for p, f in zip(plain_vectors, folded_vectors))
    with pytest.raises(NotImplementedError):
        folded.get_pipe("tok2vec").model.begin_update([folded.make_doc("Hà Nội")])
    assert fold_embedding_mixers(spacy.blank("vi")) == 0  # nothing to fold


@pytest.mark.parametrize("model", ["ner", "ner_fast"])
def test_fused_window_encoder_computes_what_the_model_computed_to_the_bit(sample_texts, model):
    import numpy

    from pipeline import load
    from pipeline.spacy_bridge import fuse_window_encoders, to_spacy_doc

    model_dir = Path(__file__).resolve().parents[1] / "models" / model
    plain, fused = spacy.load(model_dir), spacy.load(model_dir)
    assert fuse_window_encoders(fused) == 1
    assert "fused_window_encoder" in [node.name for node in fused.get_pipe("tok2vec").model.walk()]
    segmented = list(load(stages=["segment"]).pipe(sample_texts.values()))

    def vectors(nlp):
        docs = [to_spacy_doc(nlp.vocab, doc, s.start, s.end)[0] for doc in segmented for s in doc.sentences]
        return nlp.get_pipe("tok2vec").predict(docs + [nlp.make_doc("")])  # and an empty Doc

    plain_vectors, fused_vectors = vectors(plain), vectors(fused)
    assert len(plain_vectors) > 10
    assert all(numpy.array_equal(p, f) for p, f in zip(plain_vectors, fused_vectors))
    with pytest.raises(NotImplementedError):
        fused.get_pipe("tok2vec").model.begin_update([fused.make_doc("Hà Nội")])
    assert fuse_window_encoders(spacy.blank("vi")) == 0
