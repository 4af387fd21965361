"""The Dask engine behind ``vnpipe run --engine dask``: the same pipeline on a Dask cluster.

How a run goes:

- The machine running ``vnpipe run`` (the client) reads the inputs lazily and cuts
  them into partitions of ``partition_size`` documents; a bounded number of
  partitions is in flight, so its memory stays flat.
- Each Dask worker builds the pipeline once, on its first partition, and keeps it
  for the next ones (:func:`_pipeline`).
- A worker writes the partition's result lines to ``WORK_DIR/part-NNNNNN.jsonl``
  (written under a temporary name, then renamed) and reports the per-document
  outcome. The client merges the partitions in input order into the output
  through the runner's writer, so ``--resume`` and the errors file work as with
  the process engine.
- A partition whose task raised is retried (``retries``), one whose worker died is
  moved to another worker by the scheduler; either way the new attempt replaces
  the partition file, and the client reads a partition only once its task has
  succeeded, so nothing is written twice.

Without a scheduler address a local cluster with ``workers`` processes is
started and closed at the end. With one, the work directory must be on storage
every worker can write and the client can read (see docs/scaling.md).
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
import uuid
from collections import deque
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import orjson

from ..errors import EngineError, MissingDependency
from ..io.readers import Record
from ..nlp import Pipeline
from ..runner import PipelineSpec, Result, process_in_batches

PARTITION_RETRIES = 2  # attempts after the first, per partition
CONNECT_TIMEOUT = "30s"

# Per worker process: the pipelines built so far, by spec (the most recent few, each holds
# its models in memory), and how many builds that took.
_PIPELINES: dict[str, Pipeline] = {}
_KEPT_PIPELINES = 2
_BUILDS = 0
_BUILD_LOCK = threading.Lock()


@dataclass(frozen=True)
class PartitionDone:
    """What a worker reports: where the lines are, and per line (id, syllables), syllables None for an error."""

    index: int
    path: str
    outcomes: list[tuple[str, int | None]]


def import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise MissingDependency(
            "The Dask engine needs dask.distributed, which is not installed",
            hint='pip install "vnpipe[dask]"',
        ) from None
    return distributed


def _pipeline(spec: PipelineSpec) -> Pipeline:
    """The worker's pipeline for ``spec``, built on first use (models load once per worker, not per partition)."""
    global _BUILDS
    key = repr(spec)
    with _BUILD_LOCK:  # a worker with several threads must not build it twice
        if key not in _PIPELINES:
            while len(_PIPELINES) >= _KEPT_PIPELINES:
                del _PIPELINES[next(iter(_PIPELINES))]  # the oldest: a long-lived cluster's memory stays bounded
            _PIPELINES[key] = spec.build()
            _BUILDS += 1
        return _PIPELINES[key]


def annotate_partition(spec: PipelineSpec, records: list[Record], index: int, work_dir: str, batch_size: int) -> PartitionDone:
    """Runs on a worker: annotate one partition and write its lines to the work directory."""
    results = process_in_batches(_pipeline(spec), records, batch_size)
    path = Path(work_dir) / f"part-{index:06d}.jsonl"
    # A retry of this partition writes its own temporary file and replaces the result of
    # any earlier attempt, so a partition is never in the output twice.
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    with open(temporary, "wb") as f:
        for _, line, error, _ in results:
            f.write(line if line is not None else orjson.dumps(error, option=orjson.OPT_APPEND_NEWLINE))
        f.flush()
        os.fsync(f.fileno())  # on shared storage, durable before the client is told it is there
    os.replace(temporary, path)
    outcomes = [(doc_id, syllables if line is not None else None) for doc_id, line, _, syllables in results]
    return PartitionDone(index, str(path), outcomes)


def _read_partition(done: PartitionDone) -> list[Result]:
    """The runner's results for a finished partition, from its file (which is then removed)."""
    path = Path(done.path)
    try:
        lines = path.read_bytes().splitlines(keepends=True)
    except FileNotFoundError:
        raise EngineError(
            f"A worker wrote {path}, but this machine cannot see it",
            hint="Put the output on storage that the client and every worker mount at the same path",
        ) from None
    if len(lines) != len(done.outcomes):
        raise EngineError(f"{path} has {len(lines)} lines, its worker reported {len(done.outcomes)}")
    path.unlink()
    return [
        (doc_id, line, None, syllables) if syllables is not None else (doc_id, None, orjson.loads(line), 0)
        for (doc_id, syllables), line in zip(done.outcomes, lines)
    ]


def _connect(distributed: Any, stack: ExitStack, scheduler: str | None, workers: int) -> Any:
    if scheduler is None:
        with _sigint_ignored_by_children(), _quiet_local_workers():
            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR,
            ))
        return stack.enter_context(distributed.Client(cluster))
    try:
        return stack.enter_context(distributed.Client(scheduler, timeout=CONNECT_TIMEOUT))
    except OSError as error:
        raise EngineError(
            f"Could not reach the Dask scheduler at {scheduler}: {error}",
            hint="Start it with `dask scheduler` and check the address and port (default 8786)",
        ) from None


@contextmanager
def _quiet_local_workers() -> Iterator[None]:
    """The local cluster's processes log only critical messages. They share vnpipe's stderr, and
    closing the cluster after Ctrl-C makes a busy worker log its failed heartbeat as an error
    with a traceback. A partition's failure still reaches the run through its future (an
    EngineError naming the partition), and a worker's death as a KilledWorker. The setting is
    read by each worker process when it starts, from the environment it inherits."""
    variable, previous = "DASK_LOGGING__DISTRIBUTED", os.environ.get("DASK_LOGGING__DISTRIBUTED")
    os.environ[variable] = "critical"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = previous


@contextmanager
def _sigint_ignored_by_children() -> Iterator[None]:
    """Start the local cluster with SIGINT ignored, a disposition its processes inherit.

    A terminal's Ctrl-C goes to the whole process group; this way only vnpipe acts
    on it (it cancels the partitions and closes the cluster) instead of every Dask
    process dying with a traceback. vnpipe's own handler is back once the cluster is
    up (a Ctrl-C during the few seconds of start-up is ignored).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def annotate_partitions(
    partitions: Iterator[list[Record]],
    spec: PipelineSpec,
    *,
    scheduler: str | None,
    workers: int,
    work_dir: str,
    batch_size: int,
    retries: int = PARTITION_RETRIES,
) -> Iterator[list[Result]]:
    """Results of each partition, in input order, computed on the cluster."""
    distributed = import_distributed()
    work = Path(work_dir)
    shutil.rmtree(work, ignore_errors=True)  # partitions of an earlier, killed run are stale
    work.mkdir(parents=True)
    run_id = uuid.uuid4().hex[:12]
    pending: deque = deque()
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        client = _connect(distributed, stack, scheduler, workers)
        in_flight = max(2, 2 * sum(client.nthreads().values()))
        current = None  # the future being waited for
        try:
            for index, records in enumerate(partitions):
                pending.append(client.submit(
                    annotate_partition, spec, records, index, str(work), batch_size,
                    key=f"vnpipe-{run_id}-partition-{index}", retries=retries, pure=False,
                ))
                if len(pending) >= in_flight:
                    current = pending.popleft()
                    yield _read_partition(_result(current, retries))
            while pending:
                current = pending.popleft()
                yield _read_partition(_result(current, retries))
        finally:
            if pending:  # interrupted or failed: stop the partitions still queued
                client.cancel(list(pending))
            # released while the client is open: a future garbage-collected after it closes
            # prints "Exception ignored in Future.__del__" with a traceback
            for future in [*pending, *([current] if current is not None else [])]:
                future.release()
            pending.clear()


def _result(future: Any, retries: int) -> PartitionDone:
    try:
        return future.result()
    except Exception as error:
        raise EngineError(
            f"Partition {future.key} failed after {retries} retries: {type(error).__name__}: {error}",
            hint="Everything merged before it is in the output's .partial file; re-run with --resume",
        ) from error
