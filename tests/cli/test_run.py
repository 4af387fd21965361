import json

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def test_help_teaches():
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    for option in ["--output", "--workers", "--resume", "--errors", "--text-field", "--set", "Examples",
                   "--engine", "--scheduler", "--partition-size", "docs/scaling.md"]:
        assert option in result.output


def test_run_to_stdout(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Phó Bí thư Huyện ủy phát biểu.", encoding="utf-8")
    result = runner.invoke(app, ["run", str(src), "-q"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip())
    assert record["id"] == str(src)
    assert record["meta"]["stages"].keys() == {"normalize", "sentences", "segment", "entities", "relations", "places", "slogans"}


def test_stdin_text_and_jsonl():
    result = runner.invoke(app, ["run", "-", "-q"], input="Xin chào Hà Nội.")
    assert result.exit_code == 0 and json.loads(result.stdout)["text"] == "Xin chào Hà Nội."
    result = runner.invoke(app, ["run", "-", "-q"], input='{"id": "x", "text": "Một."}\n{"id": "y", "text": "Hai."}\n')
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["x", "y"]


def test_exit_codes(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "a", "text": "Một."}\n', encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "Một."}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["run", str(good), "-o", str(out)]).exit_code == 0
    result = runner.invoke(app, ["run", str(bad), "-o", str(out)])
    assert result.exit_code == 1 and "1 errors" in result.stderr
    assert (tmp_path / "out.errors.jsonl").exists()
    result = runner.invoke(app, ["run", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and "not found" in result.stderr
    result = runner.invoke(app, ["run", str(good), "--set", "nonsense"])
    assert result.exit_code == 2 and "section.key=value" in result.stderr
    result = runner.invoke(app, ["run", str(good), "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2 and "--engine dask" in result.stderr
    result = runner.invoke(app, ["run", str(good), "-o", str(out), "--engine", "dask", "-c", "missing.cfg"])
    assert result.exit_code == 2 and "Config file not found" in result.stderr  # before any cluster starts
    result = runner.invoke(app, ["run", str(good), "--engine", "spark"])
    assert result.exit_code == 2 and "processes, dask" in result.stderr


def test_summary_goes_to_stderr_not_stdout(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Một.", encoding="utf-8")
    result = runner.invoke(app, ["run", str(src)])
    assert "syllables/s" in result.stderr and "syllables/s" not in result.stdout


def test_normalize_then_segment_pipe(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("A- A A+ | Tăng tương phản\n\nỦy ban nhân dân huyện họp.", encoding="utf-8")
    normalized = runner.invoke(app, ["normalize", str(src), "-q"])
    assert normalized.exit_code == 0
    record = json.loads(normalized.stdout)
    assert record["tokens"] == [] and record["meta"]["stages"].keys() == {"normalize"}
    assert record["blocks"][0]["kind"] == "boilerplate"
    segmented = runner.invoke(app, ["segment", "-", "-q"], input=normalized.stdout)
    assert segmented.exit_code == 0, segmented.output
    record = json.loads(segmented.stdout)
    assert record["meta"]["stages"].keys() == {"normalize", "sentences", "segment"}
    assert record["id"] == str(src) and record["tokens"]


def test_python_dash_m_works():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "run" in result.stdout


def test_date_field_and_ner_model_options(tmp_path):
    from pipeline.config import PROJECT_DIR

    source = tmp_path / "news.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Xã Ea M’Droh họp.", "published": "2024-05-01"},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["run", str(source), "-o", str(out), "-q", "--date-field", "published",
                                      "--ner-model", str(PROJECT_DIR / "models" / "ner")])
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["meta"]["date"] == "2024-05-01"
    linked = [e["admin"] for e in record["entities"] if "admin" in e]
    assert linked and linked[0]["system"] == "before_2025"
    missing = CliRunner().invoke(app, ["run", str(source), "-o", str(tmp_path / "x.jsonl"), "--ner-model", str(tmp_path)])
    assert missing.exit_code == 1 and "NER model not found" in missing.stderr
