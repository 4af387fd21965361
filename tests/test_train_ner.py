"""Training on a user's corpus works end to end (tiny corpus, one short epoch)."""
import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import PROJECT_DIR


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    names = ["Lê Văn An", "Trần Thị Bình", "Ksor Hiền", "Nguyễn Minh Châu"]
    places = ["tỉnh Gia Lai", "huyện Đắk Song", "xã Nam Đà", "thành phố Pleiku"]
    lines = []
    for i in range(24):
        name, place = names[i % 4], places[(i // 4) % 4]
        text = f"Ông {name} đến thăm {place} hôm nay."
        start = text.index(name)
        spans = [{"start": start, "end": start + len(name), "label": "PER"},
                 {"start": text.index(place), "end": text.index(place) + len(place), "label": "LOC"}]
        lines.append(json.dumps({"id": f"d{i}", "text": text, "spans": spans}, ensure_ascii=False))
    (folder / "train.jsonl").write_text("\n".join(lines[:20]) + "\n", encoding="utf-8")
    (folder / "dev.jsonl").write_text("\n".join(lines[20:]) + "\n", encoding="utf-8")
    return folder


def test_train_ner_on_a_users_labels(tiny_corpus, tmp_path):
    out = tmp_path / "model"
    result = CliRunner().invoke(app, [
        "train", "ner", "--train", str(tiny_corpus / "train.jsonl"), "--dev", str(tiny_corpus / "dev.jsonl"),
        "--output", str(out), "--set", "training.max_epochs=2", "--set", "training.eval_frequency=10",
    ])
    assert result.exit_code == 0, result.stderr
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert set(meta["labels"]["ner"]) == {"PER", "LOC"}
    assert meta["vnpipe"]["corpus_sha256"] and meta["vnpipe"]["alignment"]["train"]["entities"] == 40
    assert meta["vnpipe"]["config"] == "ner.cfg"
    assert json.loads((out / "span_tails.json").read_text(encoding="utf-8")) == {"LOCATION": []}
    assert isinstance(json.loads((out / "place_heads.json").read_text(encoding="utf-8")), list)
    common = json.loads((out / "common_words.json").read_text(encoding="utf-8"))
    assert common and len(common) == len(set(common))  # the corpus's words, most frequent first


def test_a_config_holds_only_what_differs_from_its_base(tmp_path):
    from spacy.util import load_config

    from pipeline.errors import ConfigError
    from pipeline.train.ner import training_config

    merged, files = training_config(PROJECT_DIR / "configs" / "ner_fast.cfg", tmp_path)
    config, base = load_config(merged), load_config(PROJECT_DIR / "configs" / "ner.cfg")
    assert [f.name for f in files] == ["ner.cfg", "ner_fast.cfg"]
    assert config["components"]["tok2vec"]["model"]["encode"]["width"] == 64
    assert config["training"] == base["training"] and "vnpipe" not in config
    assert training_config(PROJECT_DIR / "configs" / "ner.cfg", tmp_path) == (
        PROJECT_DIR / "configs" / "ner.cfg", [PROJECT_DIR / "configs" / "ner.cfg"])
    orphan = tmp_path / "orphan.cfg"
    orphan.write_text('[vnpipe]\nbase = "nowhere.cfg"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="base config"):
        training_config(orphan, tmp_path)


def test_missing_training_data_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["train", "ner", "--train", str(tmp_path / "nope.jsonl"),
                                      "--dev", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path / "m")])
    assert result.exit_code == 2 and "vnpipe corpus build" in result.stderr


def test_shipped_config_exists():
    assert (PROJECT_DIR / "configs" / "ner.cfg").is_file()


def test_training_is_deterministic(tiny_corpus, tmp_path):
    """Same corpus + same config (fixed seed) -> byte-identical weights."""
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = CliRunner().invoke(app, [
            "train", "ner", "--train", str(tiny_corpus / "train.jsonl"), "--dev", str(tiny_corpus / "dev.jsonl"),
            "--output", str(out), "--set", "training.max_epochs=2", "--set", "training.eval_frequency=10",
        ])
        assert result.exit_code == 0, result.stderr
        outputs.append(out)
    for part in ("ner/model", "tok2vec/model"):
        assert (outputs[0] / part).read_bytes() == (outputs[1] / part).read_bytes(), part


def test_decomposed_text_is_composed_with_its_spans():
    import unicodedata

    from pipeline.train.ner import composed

    text = unicodedata.normalize("NFD", "Ông Nguyễn Văn Á ở Hà Nội")
    name, place = text.index("N"), text.index("H")
    name_end = text.rindex(" ", 0, text.rindex(" ", 0, place))  # before " ở "
    record = {"text": text, "spans": [{"start": name, "end": name_end, "label": "PER"},
                                      {"start": place, "end": len(text), "label": "LOC"}]}
    out, spans = composed(record)
    assert unicodedata.is_normalized("NFC", out)
    assert [out[s["start"]:s["end"]] for s in spans] == ["Nguyễn Văn Á", "Hà Nội"]
    assert composed({"text": "Hà Nội", "spans": []}) == ("Hà Nội", [])
