"""Rules around the NER model, on hand-written spans (no model needed)."""
from pipeline.entity_rules import NameRepair

REPAIR = NameRepair(surnames=frozenset({"hà", "triệu", "nguyễn", "ông"}),
                    given=frozenset({"khôi", "kpơr", "minh", "hà"}), honorifics=frozenset({"ông"}))


def spans(text, *pieces):
    out = []
    for piece, label in pieces:
        start = text.index(piece)
        out.append({"start": start, "end": start + len(piece), "label": label})
    return out


def labelled(text, entities):
    return [(text[e["start"]:e["end"]], e["label"]) for e in entities]


def test_a_title_that_swallowed_the_name_after_it_is_split():
    text = "Chủ tịch HĐND huyện Hà Văn Long phát biểu."
    out = REPAIR.apply(text, spans(text, ("Chủ tịch HĐND huyện Hà Văn Long", "POSITION")))
    assert labelled(text, out) == [("Chủ tịch HĐND huyện", "POSITION"), ("Hà Văn Long", "PERSON")]


def test_a_surname_and_two_given_syllables_end_a_title():
    text = "Người phát ngôn Bộ Ngoại giao Nguyễn Thu Hằng khẳng định."
    out = REPAIR.apply(text, spans(text, ("Người phát ngôn Bộ Ngoại giao Nguyễn Thu Hằng", "POSITION")))
    assert labelled(text, out) == [("Người phát ngôn Bộ Ngoại giao", "POSITION"), ("Nguyễn Thu Hằng", "PERSON")]


def test_an_ede_womans_name_is_split_from_the_title():
    text = "Phó Chủ tịch UBND huyện H’Nê Byă cho biết."
    out = REPAIR.apply(text, spans(text, ("Phó Chủ tịch UBND huyện H’Nê Byă", "POSITION")))
    assert labelled(text, out)[-1] == ("H’Nê Byă", "PERSON")


def test_places_and_bodies_that_end_in_capitals_stay_whole():
    text = "Chủ tịch UBND huyện Đắk Song và Công ty Cao su Đắk Nông."
    entities = spans(text, ("Chủ tịch UBND huyện Đắk Song", "POSITION"), ("Công ty Cao su Đắk Nông", "ORGANIZATION"))
    assert labelled(text, REPAIR.apply(text, entities)) == labelled(text, entities)


def test_adjacent_names_are_one_and_names_extend_over_their_syllables():
    text = "Gặp Jung Soo Min, chị H’Xíu Kpơr, Triệu Tư Kỳ và Hà Minh Khôi ở Hà Nội."
    entities = spans(text, ("Jung Soo", "PERSON"), ("Min", "PERSON"), ("H’Xíu", "PERSON"), ("Tư Kỳ", "PERSON"),
                     ("Hà Minh", "PERSON"))
    assert labelled(text, REPAIR.apply(text, entities)) == [
        ("Jung Soo Min", "PERSON"), ("H’Xíu Kpơr", "PERSON"), ("Triệu Tư Kỳ", "PERSON"), ("Hà Minh Khôi", "PERSON")]


def test_a_name_does_not_grow_into_a_place_or_another_entity():
    text = "Anh Minh Hà Nội và Nguyễn Minh, Hà Nội."
    entities = spans(text, ("Minh Hà", "PERSON"), ("Nguyễn Minh", "PERSON"), ("Hà Nội.", "LOCATION"))
    out = labelled(text, REPAIR.apply(text, entities))
    assert ("Minh Hà", "PERSON") in out and ("Nguyễn Minh", "PERSON") in out


def test_an_honorific_that_is_also_a_surname_stays_out():
    text = "Ông Hà Văn Tuân cho biết."
    assert labelled(text, REPAIR.apply(text, spans(text, ("Hà Văn Tuân", "PERSON")))) == [("Hà Văn Tuân", "PERSON")]


def test_span_tails_are_learnt_from_gold_endings_and_cut_verbs():
    from pipeline.entity_rules import SpanTails, learn_span_tails

    text = "Ở Đồng bằng sông Cửu Long và Ủy ban nhân dân tỉnh."
    gold = [{"text": text, "spans": [dict(span, label=label) for span, label in zip(
        spans(text, ("Đồng bằng sông Cửu Long", "x"), ("Ủy ban nhân dân tỉnh", "x")), ("LOCATION", "ORGANIZATION"))]}]
    learnt = learn_span_tails(gold, ("LOCATION", "ORGANIZATION"))
    assert learnt == {"LOCATION": [], "ORGANIZATION": ["ban nhân dân tỉnh"]}
    tails = SpanTails({label: frozenset(found) for label, found in learnt.items()})
    text = "Ủy ban nhân dân tỉnh họp; đoàn sang Doha tác nghiệp; sông Mekong."
    assert text[:tails.trim(text, 0, 24, "ORGANIZATION")] == "Ủy ban nhân dân tỉnh"
    start = text.index("Doha")
    assert text[start:tails.trim(text, start, start + 15, "LOCATION")] == "Doha"
    start = text.index("sông")
    assert tails.trim(text, start, start + 11, "LOCATION") == start + 11  # nothing after the capital
    assert tails.trim(text, 0, 24, "PERSON") == 24  # labels it has not learnt are left alone


def test_a_title_that_opens_with_a_bodys_name_is_that_body():
    from pipeline.entity_rules import SpanRules

    rules = SpanRules(frozenset(), frozenset(), frozenset(), frozenset(),
                      title_starts=frozenset({"chủ tịch", "ủy viên"}), body_starts=frozenset({"ủy ban nhân dân", "ủy ban"}))
    text = "Ủy ban nhân dân huyện Đắk Song họp; Chủ tịch Ủy ban nhân dân huyện dự."
    assert rules.refine(text, 0, 30, "POSITION")[2] == "ORGANIZATION"
    start = text.index("Chủ tịch")
    assert rules.refine(text, start, start + 31, "POSITION")[2] == "POSITION"


def test_an_initial_keeps_its_dot():
    text = "Chị Th. và anh Nh. gặp Lê Văn Nam."
    entities = spans(text, ("Th", "PERSON"), ("Nh", "PERSON"), ("Lê Văn Nam", "PERSON"))
    assert [t for t, _ in labelled(text, REPAIR.apply(text, entities))] == ["Th.", "Nh.", "Lê Văn Nam"]


def test_a_countrys_short_name_after_a_word_of_the_clause_is_the_country():
    from pipeline.entity_rules import SpanRules

    rules = SpanRules(frozenset({"chị"}), frozenset(), frozenset(), frozenset(), countries_short=frozenset({"mỹ"}))
    text = "Toán lính Mỹ rút đi. Chị Mỹ kể. Sáng nay, Mỹ gùi gạo."
    first, second, third = (i for i in range(len(text)) if text.startswith("Mỹ", i))
    assert rules.refine(text, first, first + 2, "PERSON")[2] == "LOCATION"
    assert rules.refine(text, second, second + 2, "PERSON")[2] == "PERSON"  # after an honorific
    assert rules.refine(text, third, third + 2, "PERSON")[2] == "PERSON"  # opens its clause: a name


def test_place_words_are_learnt_from_where_gold_places_start():
    from pipeline.entity_rules import learn_place_heads

    text = "Ở sông Hồng, sông Mã và tại huyện Đắk Song."
    gold = [{"text": text, "spans": [dict(span, label="LOCATION") for span in spans(
        text, ("sông Hồng", "x"), ("sông Mã", "x"), ("huyện Đắk Song", "x"))]}]
    assert learn_place_heads(gold, min_count=1) == ["huyện", "sông"]  # "ở", "tại" stand outside


def test_function_word_opening_a_sentence_is_no_entity():
    from pipeline.entity_rules import SpanRules

    rules = SpanRules(frozenset(), frozenset(), frozenset(), frozenset(), function_words=frozenset({"nhưng", "ai"}))
    text = "Nhưng anh ấy đến. Ông nói: “Ai cũng biết”. Chị Nhưng kể lại."
    first, second, third = text.index("Nhưng"), text.index("Ai"), text.rindex("Nhưng")
    assert rules.refine(text, first, first + 5, "PERSON") is None
    assert rules.refine(text, second, second + 2, "PERSON") is None  # opens a quote
    assert rules.refine(text, third, third + 5, "PERSON") == (third, third + 5, "PERSON")  # mid-sentence: a name


def test_a_place_after_a_language_cue_is_a_language():
    from pipeline.entity_rules import SpanRules

    rules = SpanRules(frozenset(), frozenset(), frozenset(), frozenset(), language_cues=frozenset({"tiếng"}))
    text = "Anh học tiếng Đức trước khi sang Đức."
    first, second = text.index("Đức"), text.rindex("Đức")
    assert rules.refine(text, first, first + 3, "LOCATION") is None
    assert rules.refine(text, second, second + 3, "LOCATION") == (second, second + 3, "LOCATION")


def test_a_unit_word_after_a_plural_word_stays_outside_the_place():
    from pipeline.entity_rules import SpanRules

    rules = SpanRules(frozenset(), frozenset(), frozenset(), frozenset(), plural_words=frozenset({"các"}),
                      unit_words=frozenset({"tỉnh", "thành phố"}))
    text = "Học viên các tỉnh Tây Nguyên, các thành phố Huế và tỉnh Gia Lai."
    region, city, single = text.index("tỉnh Tây"), text.index("thành phố Huế"), text.index("tỉnh Gia")
    assert rules.refine(text, region, region + 18, "LOCATION") == (region + 5, region + 18, "LOCATION")
    assert rules.refine(text, city, city + 13, "LOCATION") == (city + 10, city + 13, "LOCATION")
    assert rules.refine(text, single, single + 12, "LOCATION") == (single, single + 12, "LOCATION")
    # a bare unit word is never emptied into nothing
    assert rules.refine(text, region, region + 4, "LOCATION") == (region, region + 4, "LOCATION")


def test_a_place_word_after_a_plural_word_is_not_put_back():
    from pipeline.entity_rules import PlaceHeads

    heads = PlaceHeads(frozenset({"tỉnh"}), plural_words=frozenset({"các"}))
    text = "Học viên các tỉnh Tây Nguyên và tỉnh Gia Lai."
    assert heads.extend(text, text.index("Tây"), "LOCATION", 0) == (text.index("Tây"), "LOCATION")
    assert heads.extend(text, text.index("Gia"), "LOCATION", 0) == (text.index("tỉnh Gia"), "LOCATION")


def test_clean_entities_trims_punctuation_and_drops_unbalanced_quotes():
    import spacy
    from spacy.tokens import Doc, Span

    from pipeline.entity_rules import clean_entities

    vocab = spacy.blank("vi").vocab
    words = ["Phòng trào", "“", "Đắk Nông", ",", "huyện", "Đắk Song", ";", "(", "Bộ", ")", "“", "Hà Nội", "”"]
    doc = Doc(vocab, words=words)
    doc.ents = [Span(doc, 0, 3, "ORGANIZATION"),  # opens a quote it never closes: dropped
                Span(doc, 4, 7, "LOCATION"),  # "huyện Đắk Song ;" -> "huyện Đắk Song"
                Span(doc, 7, 10, "ORGANIZATION"),  # "( Bộ )": balanced, but edges are punctuation -> "Bộ"
                Span(doc, 10, 13, "LOCATION")]  # “Hà Nội”: edges trimmed
    clean_entities(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("huyện Đắk Song", "LOCATION"), ("Bộ", "ORGANIZATION"), ("Hà Nội", "LOCATION")]
    untouched = Doc(vocab, words=["Ủy ban", "nhân dân"], ents=["B-ORGANIZATION", "I-ORGANIZATION"])
    assert [e.text for e in clean_entities(untouched).ents] == ["Ủy ban nhân dân"]
