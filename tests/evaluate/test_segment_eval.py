import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluate.segment import Score, read_gold, spans_from_words

from ..conftest import shared


def test_vlsp2013_reader_rebuilds_text_and_word_spans(tmp_path):
    gold = tmp_path / "a.pos"
    gold.write_text("Uỷ_ban/N nhân_dân/N họp/V ./CH\n<pTitle>\n\nTP./N Hà_Nội/Np\n", encoding="utf-8")
    first, second = read_gold(gold, "vlsp2013")
    assert first.text == "Uỷ ban nhân dân họp ."
    assert [first.text[s:e] for s, e in first.words] == ["Uỷ ban", "nhân dân", "họp", "."]
    assert [second.text[s:e] for s, e in second.words] == ["TP.", "Hà Nội"]


def test_conllu_reader_skips_ranges_and_comments(tmp_path):
    gold = tmp_path / "a.conllu"
    rows = ["# text = Hội nghị họp", "1\tHội nghị\t_\tN\t_\t_\t0\troot\t_\t_", "2-3\tx\t_\t_\t_\t_\t_\t_\t_\t_",
            "2\thọp\t_\tV\t_\t_\t1\tdep\t_\t_", ""]
    gold.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (sentence,) = read_gold(gold, "conllu")
    assert sentence.text == "Hội nghị họp" and sentence.words == [(0, 8), (9, 12)]


def test_scores():
    score = Score()
    score.add([(0, 2), (3, 5), (6, 7)], [(0, 2), (3, 7)])
    assert (score.precision, score.recall) == (0.5, 1 / 3)
    assert score.f1 == pytest.approx(0.4)


def test_baseline_alignment_ignores_spacing_and_underscores():
    text = "Uỷ ban  nhân dân họp."
    assert spans_from_words(text, ["Ủy ban", "nhân_dân", "họp", "."]) == [(0, 6), (8, 16), (17, 20), (20, 21)]


def test_cli_on_a_tiny_gold(tmp_path):
    gold = tmp_path / "g.pos"
    gold.write_text("Phó_Bí_thư/N Huyện_uỷ/N phát_biểu/V ./CH\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "segment", str(gold), "--format", "vlsp2013", "--json"])
    assert result.exit_code == 0, result.stderr
    assert '"f1": 1.0' in result.stdout


@pytest.mark.slow
def test_vlsp2013_f1_at_least_underthesea(nlp):
    """The issue's bar: vnpipe's F1 on VLSP 2013 test >= underthesea's word_tokenize, same run."""
    from pipeline.evaluate.segment import evaluate_segmentation

    report = evaluate_segmentation(shared("vlsp2013_ws/test"), "vlsp2013", nlp, compare=["underthesea"])
    assert report.scores["vnpipe"].gold > 60000
    assert report.scores["vnpipe"].f1 >= report.scores["underthesea"].f1


@pytest.mark.slow
def test_ud_vtb_test_scores(nlp):
    from pipeline.evaluate.segment import evaluate_segmentation

    report = evaluate_segmentation(shared("ud_vtb/vi_vtb-ud-test.conllu"), "conllu", nlp)
    assert report.scores["vnpipe"].f1 > 0.9
