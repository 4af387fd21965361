import pytest
from hypothesis import given, settings, strategies as st

from pipeline.errors import IndexNotFound, NotAnIndex, SearchQueryError
from pipeline.search import Filters, facets, search
from pipeline.search.schema import open_index

from .conftest import record


def ids(hits):
    return [h.id for h in hits]


@pytest.mark.parametrize("query", ["ngo duc trong", "Ngô Đức Trọng", "NGÔ ĐỨC TRỌNG", "ngô đức trọng"])
def test_every_spelling_finds_the_person(db, query):
    hits = search(db, query)
    assert ids(hits) == ["trong"]
    assert {"label": "PERSON", "text": "Ngô Đức Trọng"}.items() <= hits[0].entities[0].items()
    assert "«Ngô Đức Trọng»" in hits[0].snippet


def test_dak_song_finds_the_district(db):
    hit = search(db, "dak song")[0]
    # the matching entity is highlighted whole; highlights are offsets into the original text
    assert hit.id == "trong" and "«huyện Đắk Song»" in hit.snippet
    assert hit.highlights and all(covers(db, hit, s, e, "dak song") for s, e in hit.highlights)


def covers(db, hit, start, end, expected):
    from pipeline.search.fold import key

    text = open_index(db).execute("SELECT text FROM documents WHERE id = ?", (hit.id,)).fetchone()[0]
    return f" {expected} " in f" {key(text[start:end])} "


@pytest.mark.parametrize("query", ["uỷ ban nhân dân huyện hoài ân", "ủy ban nhân dân huyện hoài ân", "hòa giải", "hoà giải"])
def test_tone_style_does_not_matter(db, query):
    assert ids(search(db, query))[:1] == ["hoa"]


@pytest.mark.parametrize("query", ["Ngô Đức Trọnh", "ngo duc tong", "ngo đuc trongg", "pham anh tuan"[:-1] + "m"])
def test_one_typing_mistake_in_a_name_is_forgiven(db, query):
    hits = search(db, query)
    assert hits, query
    assert hits[0].id in {"trong", "hoa"} and hits[0].entities


def test_two_mistakes_are_not(db):
    assert "trong" not in ids(search(db, "ngo dux tong"))


def test_label_restricts_to_entities(db):
    assert set(ids(search(db, "huyện ủy", Filters(label="POSITION")))) == {"so", "trong"}
    assert search(db, "huyện ủy", Filters(label="PERSON")) == []
    with pytest.raises(SearchQueryError):
        search(db, "x", Filters(label="CITY"))
    with pytest.raises(SearchQueryError):  # a label qualifies a query, it is not one
        search(db, "", Filters(label="PERSON"))


def test_filters(db):
    assert ids(search(db, "", Filters(person="tran van mi"))) == ["so"]
    assert ids(search(db, "huyện", Filters(person="tran van mj"))) == ["so"]  # typo in the filter too
    assert ids(search(db, "", Filters(person="Trần Văn Mi", position="bí thư huyện ủy"))) == ["so"]
    assert ids(search(db, "", Filters(person="Trần Văn Mi", position="chủ tịch"))) == []
    assert ids(search(db, "", Filters(position="chu tich ubnd"))) == ["hoa"]
    assert ids(search(db, "", Filters(place="Đắk Nông"))) == ["trong"]   # the province of huyện Đắk Song
    assert ids(search(db, "", Filters(place="665"))) == ["trong"]        # an admin code
    assert ids(search(db, "", Filters(theme="new_rural"))) == ["trong"]
    assert ids(search(db, "", Filters(theme="đời sống văn hoá"))) == ["so"]
    assert ids(search(db, "phát biểu", Filters(theme="culture_society"))) == []


def test_expanded_abbreviations_of_offices_match(db):
    hit = search(db, "chủ tịch ủy ban nhân dân tỉnh", Filters(label="POSITION"))[0]  # the text says "UBND"
    assert hit.id == "hoa" and hit.entities[0]["text"] == "Chủ tịch UBND tỉnh Bình Định"
    assert "«Chủ tịch UBND tỉnh Bình Định»" in hit.snippet
    assert ids(search(db, "", Filters(position="chu tich uy ban nhan dan"))) == ["hoa"]
    assert ids(search(db, "", Filters(person="pham anh tuan", position="chu tich uy ban nhan dan tinh"))) == ["hoa"]


def test_places_are_found_by_their_official_name(tmp_path):
    from pipeline.search import build_index
    from .conftest import write_jsonl

    admin = {"TP Thủ Đức": {"level": "district", "name": "Thành phố Thủ Đức", "code": "769",
                            "province": {"name": "Thành phố Hồ Chí Minh", "code": "79"}}}
    doc = record("td", "Đoàn công tác làm việc tại TP Thủ Đức.", entities=[("TP Thủ Đức", "LOCATION")], admin=admin)
    db = tmp_path / "s.sqlite"
    build_index([write_jsonl(tmp_path / "a.jsonl", [doc])], db)
    for query in ("thành phố thủ đức", "thanh pho thu dux"):  # the text says "TP"; the second has a mistake
        hits = search(db, query)
        assert [h.id for h in hits] == ["td"], query
        assert hits[0].entities[0]["text"] == "TP Thủ Đức" and "«TP Thủ Đức»" in hits[0].snippet


def test_filter_matches_are_shown_and_ranked(tmp_path):
    from pipeline.search import build_index
    from .conftest import write_jsonl

    once = record("once", "Ông Trần Văn Mi dự họp.", entities=[("Trần Văn Mi", "PERSON")], people=[("Trần Văn Mi", [])])
    text = "Ông Trần Văn Mi phát biểu. Trần Văn Mi nhấn mạnh. Trần Văn Mi kết luận."
    often = record("often", text, entities=[("Trần Văn Mi", "PERSON")], people=[("Trần Văn Mi", [])])
    often["entities"] += [{**often["entities"][0], "start": s, "end": s + 11}
                          for s in (text.index("Trần Văn Mi", 20), text.rindex("Trần Văn Mi"))]
    db = tmp_path / "s.sqlite"
    build_index([write_jsonl(tmp_path / "a.jsonl", [once, often])], db)
    hits = search(db, "", Filters(person="tran van mi"))
    assert [h.id for h in hits] == ["often", "once"] and hits[0].score > hits[1].score
    assert hits[0].entities == [{"label": "PERSON", "text": "Trần Văn Mi", "start": 4, "end": 15, "mentions": 3}]
    assert hits[0].snippet.count("«Trần Văn Mi»") == 3


def test_limit_and_ranking(db):
    hits = search(db, "huyện", limit=2)
    assert len(hits) == 2 and hits[0].score >= hits[1].score
    assert search(db, "huyện", limit=0) == []


def test_facets(db):
    values = facets(db, top=5)
    assert {p["name"] for p in values["people"]} == {"Ngô Đức Trọng", "Phạm Anh Tuấn", "Trần Văn Mi"}
    assert {"name": "Phó Bí thư Huyện ủy", "documents": 1} in values["positions"]
    assert values["places"] == [{"name": "Huyện Đắk Song", "code": "665", "level": "district", "documents": 1}]
    assert {t["name"] for t in values["themes"]} == {"new_rural", "culture_society"}


def test_typed_errors(tmp_path, db):
    with pytest.raises(IndexNotFound):
        search(tmp_path / "missing.sqlite", "x")
    not_index = tmp_path / "x.sqlite"
    not_index.write_text("hello", encoding="utf-8")
    with pytest.raises(NotAnIndex):
        search(not_index, "x")
    with pytest.raises(SearchQueryError):
        search(db, "  ")
    assert search(db, " -- \" ") == []
    with pytest.raises(SearchQueryError):
        search(db, "", Filters(person="!!"))


@pytest.mark.parametrize("query", ['"', 'ngo"duc', "-trong", "NOT", "trong OR", "a AND (b", "*", "^x", "NEAR(a b)", "dak:song"])
def test_fts_syntax_in_queries_is_just_text(db, query):
    search(db, query)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_queries_never_raise_anything_else(tmp_path_factory, query):
    db = _shared_db(tmp_path_factory)
    try:
        hits = search(db, query, limit=3)
    except SearchQueryError:
        assert not query.strip()  # only an empty query is refused
        return
    assert all(isinstance(h.snippet, str) for h in hits)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=15), st.text(max_size=15), st.text(max_size=15), st.text(max_size=15))
def test_arbitrary_filters_never_raise_anything_else(tmp_path_factory, person, position, place, theme):
    db = _shared_db(tmp_path_factory)
    try:
        search(db, "huyện", Filters(person=person or None, position=position or None, place=place or None,
                                     theme=theme or None), limit=3)
    except SearchQueryError as error:
        assert "has no letters or digits" in error.message


_DB = {}


def _shared_db(factory):
    if "db" not in _DB:
        from pipeline.search import build_index
        from .conftest import RECORDS, write_jsonl

        folder = factory.mktemp("hypothesis")
        _DB["db"] = folder / "search.sqlite"
        build_index([write_jsonl(folder / "a.jsonl", RECORDS)], _DB["db"])
    return _DB["db"]
