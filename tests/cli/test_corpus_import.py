import json

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()

MUC = ('<ENAMEX TYPE="PERSON">Lê Thị Mai</ENAMEX> về <ENAMEX TYPE="ORGANIZATION">UBND '
       '<ENAMEX TYPE="LOCATION">huyện Đông Anh</ENAMEX></ENAMEX> hôm qua.')


def test_import_to_stdout_with_counts_on_stderr(tmp_path):
    (tmp_path / "1.muc").write_text(MUC, encoding="utf-8")
    result = runner.invoke(app, ["corpus", "import", "vlsp2018", str(tmp_path), "--label-map", "PERSON=PER"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == "1.muc" and [s["label"] for s in record["spans"]] == ["PER", "ORGANIZATION"]
    assert record["meta"]["nested"][0]["label"] == "LOCATION"
    assert "entities PER" in result.stderr and "0 lost" in result.stderr


def test_lost_entities_fail_unless_allowed(tmp_path):
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"text": "Huế", "label": [[0, 9, "LOC"]]}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["corpus", "import", "doccano", str(source), "-o", str(out)])
    assert result.exit_code == 1 and "1 entities lost" in result.stderr
    result = runner.invoke(app, ["corpus", "import", "doccano", str(source), "-o", str(out), "--allow-loss", "--json"])
    assert result.exit_code == 0 and json.loads(result.stderr.splitlines()[0])["lost_total"] == 1
    assert json.loads(out.read_text(encoding="utf-8"))["spans"] == []


def test_unknown_format_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["corpus", "import", "brat", str(tmp_path)])
    assert result.exit_code == 2 and "Known formats" in result.stderr


def test_stats_and_split(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    records = [{"id": f"d{i}", "text": "Ông Ba ở Vinh", "spans": [{"start": 4, "end": 6, "label": "PER"}], "meta": {}}
               for i in range(50)]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = runner.invoke(app, ["corpus", "stats", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"documents": 50, "tokens": 200, "entities": {"PER": 50},
                                         "entities_total": 50, "nested": {}}
    splits = []
    for attempt in range(2):
        out = tmp_path / f"split{attempt}"
        result = runner.invoke(app, ["corpus", "split", str(corpus), "--output-dir", str(out), "--dev", "0.2",
                                     "--test", "0.2", "--seed", "1"])
        assert result.exit_code == 0, result.output
        splits.append({name: (out / f"{name}.jsonl").read_text() for name in ("train", "dev", "test")})
    assert splits[0] == splits[1]
    assert sum(s.count("\n") for s in splits[0].values()) == 50 and splits[0]["dev"] and splits[0]["test"]


def test_import_help_names_every_format():
    from pipeline.importers import FORMATS

    result = runner.invoke(app, ["corpus", "import", "--help"])
    assert result.exit_code == 0 and "Examples" in result.output
    assert all(name in result.output for name in FORMATS)
