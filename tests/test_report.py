"""The HTML report: a self-contained page, checked in headless Chromium when it is installed."""
import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.report import render_report, summarise

RECORDS = [
    {"id": "tin-1", "text": "Đồng chí Ngô Đức Trọng - Chủ tịch UBND huyện Đắk Song phát động phong trào “Dân vận khéo”.",
     "entities": [{"start": 9, "end": 22, "label": "PERSON", "text": "Ngô Đức Trọng", "norm": "ngô đức trọng"},
                  {"start": 25, "end": 44, "label": "POSITION", "text": "Chủ tịch UBND huyện", "norm": "x"},
                  {"start": 39, "end": 53, "label": "LOCATION", "text": "huyện Đắk Song", "norm": "huyện đắk song"}],
     "relations": [{"label": "HOLDS", "head": 0, "tail": 1}],
     "slogans": [{"start": 76, "end": 88, "text": "Dân vận khéo", "label": "mass_mobilization"}]},
    {"id": "tin-2</script><script>alert(1)</script>", "text": "<b>Không</b> có thực thể </script> nào.", "entities": []},
]


def test_the_page_escapes_text_and_summarises():
    page = render_report(RECORDS)
    assert page.count("<script") == 2  # the data and the drawing script, nothing injected
    assert "alert(1)</script>" not in page
    summary = summarise(RECORDS)
    assert summary["labels"] == {"PERSON": 1, "POSITION": 1, "LOCATION": 1}
    assert summary["top"]["PERSON"] == [("Ngô Đức Trọng", 1)] and summary["themes"] == {"mass_mobilization": 1}
    assert "<svg" in page and "mass_mobilization" in page


def test_cli_writes_the_report(tmp_path):
    annotated = tmp_path / "out.jsonl"
    annotated.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(annotated), "-o", str(tmp_path / "r.html"), "--title", "Tin"])
    assert result.exit_code == 0, result.output
    assert "<title>Tin</title>" in (tmp_path / "r.html").read_text(encoding="utf-8")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_the_page_renders_in_chromium_without_console_errors(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render_report(RECORDS), encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=2000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    dom = result.stdout
    assert 'data-label="PERSON"' in dom and "Ngô Đức Trọng" in dom  # drawn by the page's script
    assert "Ngô Đức Trọng → Chủ tịch UBND huyện" in dom and "page 1 of 1 (2 documents)" in dom
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
