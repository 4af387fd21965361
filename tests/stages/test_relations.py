import json

import jsonschema
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.document import offset_problems
from pipeline.people import group_mentions
from pipeline.positions import PositionParser
from tests.conftest import REPO


def test_people_merge_spellings_and_short_names():
    assert group_mentions(["K’Thanh", "K’ Thanh", "Nguyễn Văn An", "An", "Lê An", "Ba"]) == [[0, 1], [2], [3], [4], [5]]
    assert group_mentions(["Nguyễn Văn An", "An"]) == [[0, 1]]


def test_position_norm_expands_abbreviations_and_folds_tone_style():
    parser = PositionParser(["Chủ tịch"], abbreviations={"UBND": "Ủy ban nhân dân", "TUV": "Tỉnh ủy viên"})
    assert parser.norm("Chủ tịch UBND huyện") == parser.norm("Chủ tịch Uỷ ban nhân dân huyện") == "chủ tịch ủy ban nhân dân huyện"
    assert parser.parse("TUV").norm == "tỉnh ủy viên" and parser.parse("TUV").organization is None


def test_stage_fills_relations_people_and_parts(nlp):
    text = ("Hội nghị tại huyện Đắk Song.\n\nĐồng chí K’Thanh - TUV, Bí thư Huyện uỷ, Chủ tịch HĐND huyện phát biểu. "
            "Đồng chí K’ Thanh nhấn mạnh nhiệm vụ năm 2024.")
    doc = nlp(text)
    record = doc.to_dict()
    assert offset_problems(record) == []
    schema = json.loads((REPO / "docs" / "output.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(record, schema)
    (person,) = [p for p in doc.people if p["norm"] == "k’thanh"]
    assert len(person["mentions"]) == 2
    assert [p["norm"] for p in person["positions"]] == ["tỉnh ủy viên", "bí thư huyện ủy", "chủ tịch hội đồng nhân dân huyện"]
    secretary = next(e for e in doc.entities if e["label"] == "POSITION" and e["text"] == "Bí thư Huyện uỷ")
    assert secretary["parts"]["head"]["text"] == "Bí thư"
    assert secretary["parts"]["place"] == {"start": 13, "end": 27, "text": "huyện Đắk Song", "inferred": True}
    for relation in doc.relations:
        assert doc.entities[relation["head"]]["label"] == "PERSON" and doc.entities[relation["tail"]]["label"] == "POSITION"


def test_seed_officials_hold_their_positions(nlp, seed_text):
    people = {p["name"].replace("’ ", "’"): [q["norm"] for q in p["positions"]] for p in nlp(seed_text).people}
    assert people["K’Thanh"] == ["tỉnh ủy viên", "bí thư huyện ủy", "chủ tịch hội đồng nhân dân huyện"]
    assert people["Phạm Đức Lộc"] == ["phó bí thư thường trực huyện ủy"]
    assert set(people["Ngô Đức Trọng"]) >= {"phó bí thư", "chủ tịch ủy ban nhân dân huyện"}
    assert not any("ủy viên ban thường vụ" in p for p in people["Ngô Đức Trọng"])


def test_evaluate_relations_cli_meets_the_targets():
    result = CliRunner().invoke(app, ["evaluate", "relations", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["scores"]
    assert scores["gold_entities"]["f1"] >= 0.95 and scores["end_to_end"]["f1"] >= 0.90  # issue 4 targets


def test_places_stage_links_locations_and_places_inside_bodies(nlp):
    doc = nlp("Hội nghị của UBND huyện Đắk Song (Đắk Nông) với xã Đắk N’Drung.")
    admin = {e["text"]: e.get("admin", e.get("place", {}).get("admin")) for e in doc.entities}
    assert admin["UBND huyện Đắk Song"]["code"] == "665"
    assert admin["Đắk Nông"]["code"] == "67"
    assert doc.meta["stages"]["places"].startswith("vnpipe-places/0.1.0+vietnamadminunits-")


def test_evaluate_links_cli_on_a_hand_written_gold(tmp_path):
    from pipeline.corpus import parse_source

    source = ("#: region=Đắk_Nông year=2024\nĐoàn công tác làm việc tại [[huyện Đắk Song|LOCATION@665]] "
              "([[Đắk Nông|LOCATION@67]]) và [[xã Đắk N’Drung|LOCATION@24727]], vùng [[Tây Nguyên|LOCATION@-]]; "
              "[[thôn 3|LOCATION@-]].\n")
    (tmp_path / "gold.jsonl").write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in parse_source(source, "demo")), encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "links", "--gold", str(tmp_path / "gold.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["places"], report["correct"], report["not_units"], report["false_links"]) == (3, 3, 2, 0)


def test_offset_checker_catches_broken_relations_parts_and_people():
    text = "Chủ tịch UBND huyện Lê Văn Ba phát biểu."
    person = {"start": 20, "end": 29, "label": "PERSON", "text": "Lê Văn Ba"}
    title = {"start": 0, "end": 19, "label": "POSITION", "text": "Chủ tịch UBND huyện",
             "parts": {"head": {"start": 0, "end": 8, "text": "Chủ tịch"}}}
    record = {"text": text, "entities": [title, person], "relations": [{"label": "HOLDS", "head": 1, "tail": 0}],
              "people": [{"name": "Lê Văn Ba", "norm": "lê văn ba", "mentions": [1], "positions": []}]}
    assert offset_problems(record) == []
    broken = dict(record, relations=[{"label": "HOLDS", "head": 0, "tail": 1}], people=[dict(record["people"][0], mentions=[0])])
    broken["entities"] = [dict(title, parts={"head": {"start": 20, "end": 29, "text": "Lê Văn Ba"}}), person]
    problems = offset_problems(broken)
    assert any("PERSON -> POSITION" in p for p in problems)
    assert any("people[0]" in p for p in problems)
    assert any("parts.head" in p for p in problems)
