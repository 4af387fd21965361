import pytest

from pipeline.evaluate.ner import Scores, bio_spans, read_gold

from ..conftest import shared


def test_bio_spans_handles_orphan_inside_tags():
    positions = [(0, 3), (4, 7), (8, 11), (12, 15)]
    assert bio_spans(positions, ["B-PER", "I-PER", "I-LOC", "O"]) == [(0, 7, "PER"), (8, 11, "LOC")]


def test_vlsp2016_reader(tmp_path):
    gold = tmp_path / "test.txt"
    gold.write_text("Ông\tNc\tB-NP\tO\tNone\nNguyễn_Văn_An\tNp\tB-NP\tB-PER\tNone\nở\tE\tB-PP\tO\tNone\n"
                    "Hà_Nội\tNp\tB-NP\tB-LOC\tNone\n\nHai\tM\tB-NP\tO\tNone\n", encoding="utf-8")
    first, second = read_gold(gold, "vlsp2016")
    assert first.text == "Ông Nguyễn Văn An ở Hà Nội"
    assert [(first.text[s:e], label) for s, e, label in first.spans] == [("Nguyễn Văn An", "PER"), ("Hà Nội", "LOC")]
    assert second.text == "Hai" and second.spans == []


def test_vlsp2018_reader_keeps_the_outer_tag(tmp_path):
    gold = tmp_path / "a.muc"
    gold.write_text('Ông <ENAMEX TYPE="PERSON">Lê An</ENAMEX> tới <ENAMEX TYPE="ORGANIZATION">UBND '
                    '<ENAMEX TYPE="LOCATION">tỉnh Gia Lai</ENAMEX> </ENAMEX>.', encoding="utf-8")
    (doc,) = read_gold(gold, "vlsp2018")
    assert doc.text == "Ông Lê An tới UBND tỉnh Gia Lai ."
    assert [(doc.text[s:e], label) for s, e, label in doc.spans] == [("Lê An", "PER"), ("UBND tỉnh Gia Lai", "ORG")]


def test_scores_per_label_and_micro():
    scores = Scores()
    scores.add([(0, 2, "PER"), (3, 5, "LOC")], [(0, 2, "PER"), (3, 6, "LOC"), (7, 9, "ORG")])
    table = scores.table()
    assert table["PER"]["f1"] == 1.0 and table["LOC"]["f1"] == 0.0
    assert table["micro"]["precision"] == pytest.approx(1 / 3, abs=1e-4) and table["micro"]["recall"] == 0.5


@pytest.mark.slow
def test_real_vlsp_files_parse():
    docs = read_gold(shared("vlsp2016_ner/test.txt"), "vlsp2016")
    assert len(docs) > 2000 and sum(len(d.spans) for d in docs) > 2000
    for doc in docs[:200]:
        assert all(doc.text[s:e].strip() == doc.text[s:e] for s, e, _ in doc.spans)


def test_evaluate_ner_cli_takes_a_users_model(tmp_path):
    import json

    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.config import PROJECT_DIR

    gold = tmp_path / "gold.jsonl"
    text = "Ông Nguyễn Văn An làm việc tại tỉnh Gia Lai."
    spans = [{"start": 4, "end": 17, "label": "PERSON"}, {"start": 31, "end": 43, "label": "LOCATION"}]
    gold.write_text(json.dumps({"id": "a", "text": text, "spans": spans}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "ner", "--gold", str(gold), "--json",
                                      "--ner-model", str(PROJECT_DIR / "models" / "ner")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["scores"]["vnpipe"]["PERSON"]["f1"] == 1.0
    missing = CliRunner().invoke(app, ["evaluate", "ner", "--gold", str(gold), "--ner-model", str(tmp_path)])
    assert missing.exit_code != 0
