"""The Dask engine on a real LocalCluster with 2 worker processes."""
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import distributed
import pytest

from pipeline.engines import dask as dask_engine
from pipeline.errors import EngineError, MissingDependency
from pipeline.io.readers import Record
from pipeline.runner import PipelineSpec, run

SEGMENT = PipelineSpec(stages=("normalize", "sentences", "segment"))
TEXTS = [
    "Đồng chí Ngô Đức Trọng - Phó Bí thư Huyện ủy phát biểu tại hội nghị.",
    "Ủy ban nhân dân tỉnh Bình Định tổ chức họp báo.",
    "Xã Nam Đà phát động phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”.",
] * 5


def write_input(path: Path) -> list[str]:
    """The texts as JSONL with one line that is not JSON; returns every id in input order."""
    lines = [json.dumps({"id": f"d{i}", "text": f"Tin số {i}. {text}"}, ensure_ascii=False) for i, text in enumerate(TEXTS)]
    lines.insert(7, "not JSON")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [f"d{i}" for i in range(7)] + [f"{path}:8"] + [f"d{i}" for i in range(7, len(TEXTS))]


def ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        yield cluster


def test_local_cluster_gives_the_single_process_bytes(tmp_path):
    src = tmp_path / "in.jsonl"
    write_input(src)
    single = run([str(src)], str(tmp_path / "one.jsonl"), spec=PipelineSpec(), batch_size=4)
    on_dask = run([str(src)], str(tmp_path / "dask.jsonl"), spec=PipelineSpec(), engine="dask", workers=2,
                  partition_size=4, batch_size=2)
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert (tmp_path / "dask.errors.jsonl").read_bytes() == (tmp_path / "one.errors.jsonl").read_bytes()
    assert (on_dask.documents, on_dask.errors, on_dask.syllables) == (single.documents, single.errors, single.syllables)
    assert not (tmp_path / "dask.jsonl.parts").exists(), "the partition files are merged and removed"


@dataclass(frozen=True)
class FlakySpec(PipelineSpec):
    """A pipeline whose first attempt at the partition holding ``fail_id`` crashes (once per ``marker`` file)."""

    fail_id: str = ""
    marker: str = ""

    def build(self):
        return FlakyPipeline(super().build(), self)


class FlakyPipeline:
    def __init__(self, nlp, spec: FlakySpec):
        self.nlp, self.spec = nlp, spec

    def process(self, docs):
        marker = Path(self.spec.marker)
        if any(doc.id == self.spec.fail_id for doc in docs) and not marker.exists():
            marker.touch()
            raise RuntimeError("simulated worker crash")  # not a DocumentError: the whole task fails
        return self.nlp.process(docs)


def test_a_failed_partition_is_retried_once_and_models_load_once_per_worker(tmp_path, cluster):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    expected = write_input(src)
    spec = FlakySpec(stages=SEGMENT.stages, fail_id="d9", marker=str(tmp_path / "failed-once"))
    summary = run([str(src)], str(out), spec=spec, engine="dask", scheduler=cluster.scheduler_address,
                  partition_size=3)
    assert (tmp_path / "failed-once").exists(), "the partition really failed once"
    assert sorted(ids(out) + ids(tmp_path / "out.errors.jsonl")) == sorted(expected)
    assert ids(out) == [i for i in expected if i.startswith("d")]
    run([str(src)], str(tmp_path / "one.jsonl"), spec=SEGMENT)
    assert out.read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert summary.documents == len(TEXTS) and summary.errors == 1
    with distributed.Client(cluster) as client:
        builds = client.run(lambda: dask_engine._BUILDS)
    assert len(builds) == 2 and all(count <= 1 for count in builds.values())  # 6 partitions, at most 2 builds


def test_resume_with_dask_finishes_a_partial_output(tmp_path, cluster):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src)
    run([str(src)], str(tmp_path / "one.jsonl"), spec=SEGMENT)
    lines = (tmp_path / "one.jsonl").read_bytes().splitlines(keepends=True)
    (tmp_path / "out.jsonl.partial").write_bytes(b"".join(lines[:5]) + lines[5][:30])  # killed mid-line
    summary = run([str(src)], str(out), spec=SEGMENT, engine="dask", scheduler=cluster.scheduler_address,
                  partition_size=4, resume=True)
    assert summary.skipped == 5
    assert out.read_bytes() == (tmp_path / "one.jsonl").read_bytes()


def test_a_retried_partition_replaces_its_file(tmp_path):
    records = [Record(id=f"d{i}", source="t", text=text) for i, text in enumerate(TEXTS[:3])]
    for _ in range(2):  # a worker died after writing, and the partition ran again
        done = dask_engine.annotate_partition(SEGMENT, records, 0, str(tmp_path), batch_size=2)
    assert ids(Path(done.path)) == ["d0", "d1", "d2"]
    assert [path.name for path in tmp_path.iterdir()] == ["part-000000.jsonl"]


def test_without_dask_installed_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    src = tmp_path / "in.jsonl"
    write_input(src)
    with pytest.raises(MissingDependency) as error:
        run([str(src)], str(tmp_path / "out.jsonl"), spec=SEGMENT, engine="dask")
    assert 'pip install "vnpipe[dask]"' in error.value.hint
    assert list(tmp_path.iterdir()) == [src], "nothing is written before the engine is known to work"


def test_an_unreachable_scheduler_is_an_engine_error(tmp_path, monkeypatch):
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "1s")
    src = tmp_path / "in.jsonl"
    write_input(src)
    with pytest.raises(EngineError, match="tcp://127.0.0.1:9"):
        run([str(src)], str(tmp_path / "out.jsonl"), spec=SEGMENT, engine="dask", scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "out.jsonl").exists()


def test_a_worker_keeps_only_its_most_recent_pipelines(monkeypatch):
    monkeypatch.setattr(dask_engine, "_PIPELINES", {})
    monkeypatch.setattr(PipelineSpec, "build", lambda self: object())
    specs = [PipelineSpec(stages=("normalize",)), PipelineSpec(stages=("sentences",)), PipelineSpec(stages=("segment",))]
    built = [dask_engine._pipeline(spec) for spec in specs]
    assert dask_engine._pipeline(specs[2]) is built[2]  # reused, not rebuilt
    assert len(dask_engine._PIPELINES) == dask_engine._KEPT_PIPELINES
    assert repr(specs[0]) not in dask_engine._PIPELINES
