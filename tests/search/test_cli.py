import json

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def test_help_teaches():
    output = runner.invoke(app, ["index", "build", "--help"]).output
    assert "--db" in output and "--batch-size" in output and "vnpipe index build" in output
    output = runner.invoke(app, ["search", "--help"]).output
    for option in ["--db", "--label", "--person", "--position", "--place", "--theme", "--limit", "--json", "--facets"]:
        assert option in output


def test_build_then_search(tmp_path, annotated):
    db = tmp_path / "s.sqlite"
    result = runner.invoke(app, ["index", "build", str(annotated), "--db", str(db), "--batch-size", "2", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "3 documents" in result.output
    result = runner.invoke(app, ["search", "NGÔ ĐỨC TRỌNG", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1. trong") and "«Ngô Đức Trọng»" in result.stdout and "PERSON Ngô Đức Trọng" in result.stdout


def test_json_lines(db):
    result = runner.invoke(app, ["search", "huyện", "--db", str(db), "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(hits) == 2 and set(hits[0]) == {"id", "score", "snippet", "highlights", "entities"}


def test_filters_and_facets(db):
    result = runner.invoke(app, ["search", "--db", str(db), "--person", "tran van mi", "--json"])
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["so"]
    result = runner.invoke(app, ["search", "--facets", "--db", str(db)])
    assert result.exit_code == 0 and "people:" in result.stdout and "Ngô Đức Trọng" in result.stdout
    result = runner.invoke(app, ["search", "--facets", "--db", str(db), "--json"])
    assert set(json.loads(result.stdout)) == {"people", "positions", "places", "themes"}


def test_errors_are_messages_with_exit_2(tmp_path, db):
    result = runner.invoke(app, ["search", "x", "--db", str(tmp_path / "missing.sqlite")])
    assert result.exit_code == 2 and "not found" in result.output and "vnpipe index build" in result.output
    assert not (tmp_path / "missing.sqlite").exists()  # searching never creates an index
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not sqlite", encoding="utf-8")
    assert runner.invoke(app, ["search", "x", "--db", str(bad)]).exit_code == 2
    assert runner.invoke(app, ["search", "--db", str(db)]).exit_code == 2  # nothing to search for
    assert runner.invoke(app, ["search", "x", "--db", str(db), "--label", "CITY"]).exit_code == 2


def test_stray_quotes_and_dashes(db):
    for query in ['"', "-", "ngo\"duc -trong", "trong*", "(", "AND"]:
        result = runner.invoke(app, ["search", query, "--db", str(db)])
        assert result.exit_code == 0, (query, result.output)


def test_a_missing_input_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["index", "build", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 2 and "not found" in result.output
    assert not (tmp_path / "s.sqlite").exists()  # nothing is created before the inputs are known
