"""The entities stage with the shipped model (models/ner)."""
import json

import pytest

from pipeline.document import offset_problems

LABELS = {"PERSON", "POSITION", "ORGANIZATION", "LOCATION"}


def entities(nlp, text):
    return [(e["text"], e["label"]) for e in nlp(text).entities]


def test_entities_index_the_text_and_have_norms(nlp):
    doc = nlp("Đồng chí Ngô Đức Trọng - Phó Bí thư Huyện uỷ, Chủ tịch UBND huyện Đắk Song phát biểu.")
    assert doc.entities
    for e in doc.entities:
        assert doc.text[e["start"] : e["end"]] == e["text"] and e["label"] in LABELS
        assert e["norm"] == e["norm"].lower()
    assert offset_problems(json.loads(doc.to_json())) == []


def test_official_and_titles(nlp):
    found = entities(nlp, "Tham dự có đồng chí Phạm Đức Lộc - Phó Bí thư Thường trực Huyện uỷ Đắk Song.")
    assert ("Phạm Đức Lộc", "PERSON") in found
    assert any(label == "POSITION" and text.startswith("Phó Bí thư Thường trực") for text, label in found)


def test_boilerplate_is_skipped(nlp):
    doc = nlp("Chia sẻ | In bài | Gửi email\n\nÔng Lê Văn An thăm tỉnh Gia Lai.")
    boiler = doc.blocks[0]
    assert boiler.kind == "boilerplate"
    assert all(e["start"] >= boiler.end for e in doc.entities)


def test_version_names_model_and_corpus(nlp):
    version = nlp("Xin chào.").meta["stages"]["entities"]
    assert version.startswith("vnpipe_ner/") and "+corpus-" in version


def test_no_entities_in_empty_text(nlp):
    assert nlp("").entities == []


@pytest.mark.parametrize("text", ["Năm 2023 có 168 cá nhân đạt danh hiệu Lao động tiên tiến."])
def test_look_alikes_are_not_entities(nlp, text):
    assert entities(nlp, text) == []


def test_gazetteer_uses_folded_norms():
    from pipeline.config import configs_dir
    from pipeline.entity_rules import place_gazetteer

    settings = {"gazetteer_places": ["lexicon/places.txt"], "gazetteer_bare": ["gazetteers/countries.txt"],
                "unit_words": ["huyện", "TP."]}
    gazetteer = place_gazetteer(settings, configs_dir())
    assert "đắk song" in gazetteer.places and "tp." in gazetteer.units
    assert "trung quốc" in gazetteer.bare and "trung quốc" in gazetteer.places


def test_gazetteer_fills_or_overrides_the_model():
    import spacy
    from spacy.tokens import Doc, Span

    from pipeline.entity_rules import PlaceGazetteer

    vocab = spacy.blank("vi").vocab
    words = ["Ông", "Nam", "về", "huyện", "Đắk Song", "và", "Trung Quốc"]
    norms = ["ông", "nam", "về", "huyện", "đắk song", "và", "trung quốc"]

    def doc():
        d = Doc(vocab, words=words)
        for token, norm in zip(d, norms):
            token.norm_ = norm
        d.ents = [Span(d, 4, 5, label="PERSON")]  # a model's mistake
        return d

    filled, overridden = doc(), doc()
    PlaceGazetteer(frozenset({"huyện"}), frozenset({"đắk song", "trung quốc"}), frozenset({"trung quốc"})).add_to(filled)
    PlaceGazetteer(frozenset({"huyện"}), frozenset({"đắk song", "trung quốc"}), frozenset({"trung quốc"}),
                   override=True).add_to(overridden)
    assert [(e.text, e.label_) for e in filled.ents] == [("Đắk Song", "PERSON"), ("Trung Quốc", "LOCATION")]
    assert [(e.text, e.label_) for e in overridden.ents] == [("huyện Đắk Song", "LOCATION"), ("Trung Quốc", "LOCATION")]


def test_gazetteer_fills_places_the_model_missed(nlp):
    found = entities(nlp, "Đoàn công tác đã làm việc tại Trung Quốc và Nhật Bản trong tháng 5.")
    assert ("Trung Quốc", "LOCATION") in found and ("Nhật Bản", "LOCATION") in found


@pytest.mark.parametrize("text, name", [("Hôm qua, chị Lan đưa con đi khám bệnh.", "Lan"), ("Hôm qua, ông Obama phát biểu.", "Obama")])
def test_capitalised_run_after_an_honorific_is_a_person(nlp, text, name):
    assert (name, "PERSON") in entities(nlp, text)


def test_titles_after_an_honorific_are_not_names(nlp):
    assert all(label != "PERSON" for _, label in entities(nlp, "Ông Bí thư Huyện ủy dự họp."))


def test_the_fast_model_is_a_drop_in_choice():
    """models/ner_fast (configs/ner_fast.cfg) loads with --ner-model and finds the same kinds of things."""
    from pipeline import load
    from pipeline.config import PROJECT_DIR

    fast = PROJECT_DIR / "models" / "ner_fast"
    meta = json.loads((fast / "meta.json").read_text(encoding="utf-8"))
    assert meta["vnpipe"]["config"] == "ner_fast.cfg"
    nlp = load(overrides={"entities.model": str(fast)}, stages=["entities"])
    found = entities(nlp, "Tham dự có đồng chí Phạm Đức Lộc - Phó Bí thư Thường trực Huyện uỷ Đắk Song.")
    assert ("Phạm Đức Lộc", "PERSON") in found
    assert any(label == "POSITION" for _, label in found)
    # output records tell the two models apart
    default = load(stages=["entities"])
    assert nlp("Xin chào.").meta["stages"]["entities"] != default("Xin chào.").meta["stages"]["entities"]
