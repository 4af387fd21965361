import json
import pickle

import pytest
from typer.testing import CliRunner

from pipeline import load
from pipeline.cli import app
from pipeline.errors import ConfigError, GoldFormatError, ModelError, OutputError, UnknownFormat
from pipeline.train.segmenter import ReadStats, load_segmenter_config, tagged_syllables, train_segmenter

from .conftest import shared

# Hand-written, VLSP 2013 style: words separated by spaces, syllables of a word joined by "_".
SENTENCES = [
    "Hội_nghị tổng_kết công_tác năm được tổ_chức tại Hà_Nội .",
    "Đại_biểu phát_biểu tại hội_nghị , đề_xuất nhiều giải_pháp .",
    "Ban_Chấp_hành tổ_chức hội_nghị tổng_kết công_tác .",
    "Công_nhân và nông_dân phát_biểu ý_kiến tại hội_nghị .",
    "Tổ_chức đại_hội ở Hà_Nội , đại_biểu đề_xuất giải_pháp .",
]
FAST = ["training.max_iterations=60"]


@pytest.fixture(scope="module")
def gold(tmp_path_factory):
    path = tmp_path_factory.mktemp("gold") / "train.seg"
    path.write_text("<pTitle>\n" + "\n".join(SENTENCES * 4) + "\n</pTitle>\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def model(gold, tmp_path_factory):
    output = tmp_path_factory.mktemp("models") / "tiny-ws"
    messages = []
    meta = train_segmenter([gold], "vlsp2013", output, overrides={"training.max_iterations": 60},
                           dev=[gold], progress=messages.append)
    return output, meta, messages


def test_syllables_are_tagged_where_gold_words_start():
    text = "Ủy ban nhân dân TP. Hồ Chí Minh họp"
    words = [(0, 15), (16, 19), (20, 31), (32, 35)]
    sentence = tagged_syllables(text, words)
    assert sentence.syllables == ["Uỷ", "ban", "nhân", "dân", "TP.", "Hồ", "Chí", "Minh", "họp"]  # the stage's forms
    assert sentence.tags == ["B-W", "I-W", "I-W", "I-W", "B-W", "B-W", "I-W", "I-W", "B-W"]


def test_a_gold_boundary_inside_a_syllable_is_counted():
    stats = ReadStats()
    sentence = tagged_syllables("TP.HCM họp", [(0, 3), (3, 6), (7, 10)], stats)
    assert sentence.tags[0] == "B-W" and stats.boundaries_inside_syllables == 1


def test_model_has_underthesea_layout_and_meta(model):
    output, meta, messages = model
    assert {p.name for p in output.iterdir()} == {"models.bin", "features.bin", "dictionary.bin", "meta.json"}
    assert pickle.loads((output / "features.bin").read_bytes()) == load_segmenter_config().templates
    dictionary = pickle.loads((output / "dictionary.bin").read_bytes())
    assert "hội nghị" in dictionary and "giám đốc điều hành" in dictionary  # underthesea's words and the lexicon
    assert meta["sentences"] == 20 and meta["syllables"] == sum(len(s.replace("_", " ").split()) for s in SENTENCES) * 4
    assert json.loads((output / "meta.json").read_text(encoding="utf-8"))["data_sha256"] == meta["data_sha256"]
    assert any(m.startswith("iteration 1:") for m in messages)
    assert meta["dev"][next(iter(meta["dev"]))]["f1"] > 0.9


def test_segment_stage_uses_the_trained_model(model):
    output, meta, _ = model
    nlp = load(None, {"segment.model": str(output)}, stages=["segment"])
    doc = nlp("Đại biểu phát biểu tại hội nghị tổng kết.")
    assert [doc.token_text(t) for t in doc.tokens] == ["Đại biểu", "phát biểu", "tại", "hội nghị", "tổng kết", "."]
    assert nlp.versions["segment"].startswith(f"vnpipe-segmenter-{meta['version']}/tiny-ws+data-{meta['data_sha256'][:8]}+model-")


def test_version_changes_with_the_weights(model, tmp_path):
    output, _, _ = model
    copy = tmp_path / "tiny-ws"
    copy.mkdir()
    for name in ("models.bin", "features.bin", "dictionary.bin", "meta.json"):
        (copy / name).write_bytes((output / name).read_bytes())
    same = load(None, {"segment.model": str(copy)}, stages=["segment"]).versions["segment"]
    assert same == load(None, {"segment.model": str(output)}, stages=["segment"]).versions["segment"]
    (copy / "models.bin").write_bytes((output / "models.bin").read_bytes() + b"\0")
    assert load(None, {"segment.model": str(copy)}, stages=["segment"]).versions["segment"] != same


def test_run_and_evaluate_take_segmenter(model, gold, tmp_path):
    output, _, _ = model
    text = tmp_path / "a.txt"
    text.write_text("Đại biểu phát biểu tại hội nghị.", encoding="utf-8")
    result = CliRunner().invoke(app, ["segment", str(text), "--segmenter", str(output), "--quiet"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["meta"]["stages"]["segment"].startswith("vnpipe-segmenter-")
    assert [t["text"] for t in record["tokens"]][:2] == ["Đại biểu", "phát biểu"]
    scored = CliRunner().invoke(app, ["evaluate", "segment", str(gold), "--segmenter", str(output), "--json"])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["scores"]["vnpipe"]["f1"] > 0.9


def test_cli_trains(gold, tmp_path):
    out = tmp_path / "m"
    result = CliRunner().invoke(app, ["train", "segmenter", "--train", str(gold), "--format", "vlsp2013",
                                      "-o", str(out), "--set", "training.max_iterations=5"])
    assert result.exit_code == 0, result.output
    assert "iteration 5" in result.stderr and "Saved" in result.stderr and (out / "models.bin").is_file()


def test_unknown_format(gold, tmp_path):
    with pytest.raises(UnknownFormat):
        train_segmenter([gold], "vlsp2016", tmp_path / "m")
    result = CliRunner().invoke(app, ["train", "segmenter", "--train", str(gold), "-f", "bio", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "vlsp2013, conllu" in result.stderr


def test_no_sentences(tmp_path):
    empty = tmp_path / "empty.seg"
    empty.write_text("<pTitle>\n</pTitle>\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="No sentences"):
        train_segmenter([empty], "vlsp2013", tmp_path / "m")


def test_conllu_given_as_vlsp2013(tmp_path):
    conllu = tmp_path / "a.seg"
    conllu.write_text("# text = Hà Nội\n1\tHà Nội\tHà Nội\tNp\t_\t_\t0\troot\t_\t_\n\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="not VLSP 2013"):
        train_segmenter([conllu], "vlsp2013", tmp_path / "m")


def test_bad_settings_stop_before_featurizing(gold, tmp_path):
    with pytest.raises(ConfigError, match="c3"):
        train_segmenter([gold], "vlsp2013", tmp_path / "m", overrides={"training.c3": 1.0})
    with pytest.raises(ConfigError, match="T\\[0\\].upper"):
        train_segmenter([gold], "vlsp2013", tmp_path / "m", overrides={"features.templates": ["T[0].upper"]})
    assert not (tmp_path / "m" / "models.bin").exists()


def test_output_not_writable(gold, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError):
        train_segmenter([gold], "vlsp2013", blocker / "model")


def test_model_dir_missing_files(model, tmp_path):
    output, _, _ = model
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "models.bin").write_bytes((output / "models.bin").read_bytes())
    with pytest.raises(ModelError, match="features.bin, dictionary.bin"):
        load(None, {"segment.model": str(broken)}, stages=["segment"])
    result = CliRunner().invoke(app, ["segment", "-", "--segmenter", str(broken)], input="Hà Nội")
    assert result.exit_code == 1 and "model incomplete" in result.stderr


@pytest.mark.slow
def test_vlsp2013_slice(tmp_path):
    """A segmenter from the first 150 VLSP 2013 training files (~4,800 sentences) already
    segments the test set well (the full training set: docs/training.md)."""
    from pipeline.evaluate.segment import evaluate_segmentation

    train = shared("vlsp2013_ws/train/Trainset-Segmentation-1")
    test = shared("vlsp2013_ws/test")
    files = sorted(train.glob("*.seg"))[:150]
    meta = train_segmenter(files, "vlsp2013", tmp_path / "m", overrides={"training.max_iterations": 40})
    nlp = load(None, {"segment.model": str(tmp_path / "m")}, stages=["segment"])
    score = evaluate_segmentation(test, "vlsp2013", nlp).scores["vnpipe"]
    print(f"VLSP 2013 slice: {meta['sentences']} sentences, test F1 {score.f1:.4f}")
    assert score.f1 > 0.94  # 0.9624 measured (0.9547 without the four-syllable templates)
