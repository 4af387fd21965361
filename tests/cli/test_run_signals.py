"""A real ``vnpipe`` process killed (SIGKILL) or interrupted (Ctrl-C) mid-run, then resumed."""
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SENTENCE = "Ủy ban nhân dân xã họp lần thứ {i}, bàn kế hoạch phát triển kinh tế - xã hội năm {year}."


def write_input(path: Path, documents: int, bad_every: int = 0) -> list[str]:
    """``documents`` short articles, every ``bad_every``-th line not JSON; returns the expected ids."""
    ids, lines = [], []
    for i in range(documents):
        if bad_every and i % bad_every == bad_every - 1:
            lines.append("this line is not JSON")
            ids.append(f"{path}:{i + 1}")
        else:
            text = " ".join(SENTENCE.format(i=i, year=2000 + k) for k in range(4))
            lines.append(json.dumps({"id": f"d{i}", "text": text}, ensure_ascii=False))
            ids.append(f"d{i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


@pytest.fixture
def start():
    """Start ``python -m pipeline ARGS`` in a process group of its own (so a signal can go to the
    whole group, as a terminal's Ctrl-C does); whatever is left of the group is killed afterwards."""
    started = []

    def start(args: list[str]) -> subprocess.Popen:
        # SIGINT as a terminal's process has it: a test suite started in the background (`pytest &`)
        # ignores SIGINT, and its children would inherit that and never see the Ctrl-C
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True, text=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        started.append(proc)
        return proc

    yield start
    for proc in started:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_for_lines(path: Path, proc: subprocess.Popen, lines: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= lines:
            return
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be stopped: {proc.communicate()[1]}")
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail(f"no output in {path} after {timeout} s")


def parsed_ids(path: Path) -> list[str]:
    if not path.exists():
        return []
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), f"{path} ends mid-line"
    return [json.loads(line)["id"] for line in data.splitlines()]


def test_sigkill_then_resume_has_every_document_exactly_once(tmp_path, start):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    expected = write_input(src, 1500, bad_every=97)
    args = ["segment", str(src), "-o", str(out), "--batch-size", "4", "--workers", "2"]
    proc = start(args)
    wait_for_lines(Path(str(out) + ".partial"), proc, 40)
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, as the OOM killer does
    proc.wait(timeout=30)
    assert not out.exists(), "a killed run must not leave a finished-looking output"
    deadline = time.monotonic() + 10
    while live_processes_in_group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert live_processes_in_group(proc.pid) == [], "workers outlived their killed parent"

    resumed = subprocess.run([sys.executable, "-m", "pipeline", *args, "--resume"], cwd=REPO,
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 1, resumed.stderr  # the non-JSON lines are errors
    done = parsed_ids(out) + parsed_ids(tmp_path / "out.errors.jsonl")
    assert sorted(done) == sorted(expected)
    skipped = int(re.search(r"(\d+) skipped \(already done\)", resumed.stderr).group(1))
    assert 40 <= skipped < len(expected)  # it was really killed mid-way


def live_processes_in_group(group: int) -> list[str]:
    """Processes of a process group still running (zombies waiting to be reaped are not running)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(stat.parent.name)
    return found


@pytest.mark.parametrize("engine", [["--workers", "2"], ["--engine", "dask", "--workers", "2", "--partition-size", "20"]],
                         ids=["processes", "dask"])
def test_ctrl_c_stops_workers_and_keeps_valid_partial_output(tmp_path, start, engine):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, 30000)  # far more than a loaded machine finishes between two polls
    proc = start(["segment", str(src), "-o", str(out), "--batch-size", "4", *engine])
    partial = Path(str(out) + ".partial")
    wait_for_lines(partial, proc, 40)
    os.killpg(proc.pid, signal.SIGINT)  # the whole group, workers included, as a terminal does
    try:
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the run did not stop within 60 s of Ctrl-C")
    assert proc.returncode == 130, stderr
    written = parsed_ids(partial)
    assert written == [f"d{i}" for i in range(len(written))] and 40 <= len(written) < 30000
    assert f"Interrupted: {len(written)} documents" in stderr, stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "out.jsonl.parts").exists()
    time.sleep(1)
    assert live_processes_in_group(proc.pid) == [], "a worker outlived the run"
