import json

import pytest
from typer.testing import CliRunner

from pipeline import load
from pipeline.cli import app
from pipeline.document import offset_problems


@pytest.fixture(scope="module")
def slogans_only():
    return load(stages=["slogans"])


def test_slogans_need_only_normalize(slogans_only):
    assert slogans_only.stage_names == ["normalize", "slogans"]


def test_record_fields_and_offsets(slogans_only):
    text = "Tiêu đề\n\nHuyện phát động phong trào “ Đắk Nông chung sức xây dựng nông thôn mới ” và cuộc vận động “Dân vận khéo”."
    doc = slogans_only(text)
    assert [s["text"] for s in doc.slogans] == ["Đắk Nông chung sức xây dựng nông thôn mới", "Dân vận khéo"]
    for slogan in doc.slogans:
        assert text[slogan["start"]:slogan["end"]] == slogan["text"]
        assert slogan["label"] == next(iter(slogan["scores"]))
        assert 0 < sum(slogan["scores"].values()) <= 1 + 1e-6 and 0 <= slogan["score"] <= 1
    assert doc.slogans[0]["label"] == "new_rural"
    assert offset_problems(doc.to_dict()) == []
    assert doc.stages["slogans"].startswith("vnpipe_slogans/")


def test_boilerplate_is_skipped(slogans_only):
    assert slogans_only("Chia sẻ Facebook\n\nPhong trào “Dân vận khéo”").slogans  # content block still read


def test_the_seed_has_eight_movements(slogans_only, seed_text):
    doc = slogans_only(seed_text)
    found = [s["text"] for s in doc.slogans]
    assert found == [
        "Thực hiện thắng lợi nhiệm vụ kinh tế - xã hội năm 2024",
        "Phong trào học tập và làm theo tấm gương đạo đức, phong cách Hồ Chí Minh",
        "Đắk Nông chung sức xây dựng nông thôn mới",
        "Đắk Nông chung tay vì người nghèo - không để ai bị bỏ lại phía sau",
        "đẩy mạnh công tác cải cách thủ tục hành chính",
        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
        "đẩy mạnh cải cách hành chính giai đoạn 2022-2025",
        "Học tập và làm theo tấm gương đạo đức Hồ Chí Minh",
    ]
    assert [s["label"] for s in doc.slogans] == ["economy", "ideology_party", "new_rural", "poverty_welfare",
                                               "admin_reform", "admin_reform", "admin_reform", "ideology_party"]


def test_evaluate_slogans_cli_reports_detection_and_themes():
    result = CliRunner().invoke(app, ["evaluate", "slogans", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["detection"]["f1"] >= 0.95  # issue 5 target on the held-out split
    assert report["themes_in_context"]["accuracy"] >= 0.9
    assert report["themes_of_names"]["examples"] > 0


def test_train_slogans_cli_on_a_tiny_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "names").mkdir(parents=True)
    (corpus / "names" / "n.tsv").write_text(
        "".join(f"{t}\t{n}\n" for t, n in [("education", "Dạy tốt, học tốt"), ("education", "Khuyến học"),
                                            ("education", "Học tập suốt đời"), ("environment", "Chống rác thải nhựa"),
                                            ("environment", "Ngày Chủ nhật xanh"), ("environment", "Xanh - sạch - đẹp")]),
        encoding="utf-8")
    record = {"id": "d1", "text": "Phong trào “Dạy tốt, học tốt”.",
              "spans": [{"start": 12, "end": 28, "label": "SLOGAN", "theme": "education"}]}
    for split in ("train", "dev"):
        (corpus / f"{split}.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    args = ["train", "slogans", "--output", str(tmp_path / "model"),
            "--set", f"corpus.names={corpus / 'names'}", "--set", f"corpus.train={corpus / 'train.jsonl'}",
            "--set", f"corpus.dev={corpus / 'dev.jsonl'}", "--set", "training.cv_folds=2", "--set", "training.C=[1.0]"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    meta = json.loads((tmp_path / "model" / "meta.json").read_text(encoding="utf-8"))
    assert meta["rule_precision"]["quoted"]["precision"] == 1.0
    assert (tmp_path / "model" / "known_names.txt").read_text(encoding="utf-8").count("\n") == 6


def test_evaluate_slogans_cli_cross_validates():
    result = CliRunner().invoke(app, ["evaluate", "slogans", "--cv", "2", "--json"])
    assert result.exit_code == 0, result.output
    crossed = json.loads(result.stdout)["themes_cross_validated"]
    assert crossed["examples"] > 1000 and len(crossed["confusion"]) == len(crossed["labels"]) == 11


def test_slogans_stage_does_not_import_scikit_learn():
    """Start-up matters for batch jobs: prediction is numpy only (training uses scikit-learn)."""
    import subprocess
    import sys

    code = ("import sys; from pipeline import load; "
            "doc = load(stages=['slogans'])('Phát động phong trào “Dân vận khéo”.'); "
            "assert doc.slogans and 'sklearn' not in sys.modules, sorted(m for m in sys.modules if 'sklearn' in m)[:3]")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("section, command", [("entities", "vnpipe train ner"), ("slogans", "vnpipe train slogans")])
def test_missing_model_says_how_to_get_it(tmp_path, section, command):
    from pipeline.errors import ModelError

    with pytest.raises(ModelError) as error:
        load(overrides={f"{section}.model": str(tmp_path / "nothing")}, stages=[section])
    assert command in error.value.hint
