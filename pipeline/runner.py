"""The batch runner behind ``vnpipe run``: inputs in, annotated JSONL out.

- Streaming: records are read lazily, processed in batches, and at most a few
  batches per worker are in flight, so memory stays flat however large the input.
- ``workers > 1`` runs the pipeline in that many processes, each loading the
  models once; results come back in input order.
- ``engine="dask"`` runs it on a Dask cluster instead, in partitions (see
  :mod:`pipeline.engines.dask`); the output is the same, byte for byte.
- A document that fails is written to the errors file (id, source, stage,
  message) and counted; the batch goes on.
- Output is atomic and resumable (see :mod:`pipeline.io.writers`): a run killed
  at any moment and re-run with ``resume=True`` ends with every input document
  exactly once in the output or the errors file.
"""
from __future__ import annotations

import gc
import os
import signal
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .config import load_config
from .document import Document
from .errors import DocumentError, OutputError, UsageError
from .io.readers import Record, read_records
from .io.writers import STDOUT, ErrorLog, JsonlWriter
from .nlp import Pipeline, load
from .syllables import count_syllables

ENGINES = ("processes", "dask")


@dataclass
class RunSummary:
    documents: int = 0  # written to the output
    errors: int = 0  # written to the errors file
    skipped: int = 0  # already done in an earlier run (--resume)
    syllables: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    output: str = STDOUT
    errors_path: str | None = None
    stages: dict[str, str] = field(default_factory=dict)

    @property
    def syllables_per_second(self) -> float:
        return self.syllables / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "errors": self.errors,
            "skipped": self.skipped,
            "syllables": self.syllables,
            "seconds": round(self.seconds, 3),
            "syllables_per_second": round(self.syllables_per_second, 1),
            "interrupted": self.interrupted,
        }


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker needs to build the same pipeline (picklable)."""

    config: str | None = None
    overrides: tuple[tuple[str, Any], ...] = ()
    stages: tuple[str, ...] | None = None

    def build(self) -> Pipeline:
        return load(self.config, dict(self.overrides), self.stages)


# One result per record: (id, output line or None, error record or None, syllables)
Result = tuple[str, bytes | None, dict[str, Any] | None, int]

_WORKER_NLP: Pipeline | None = None


def _error_record(record: Record | Document, error: DocumentError, source: str) -> dict[str, Any]:
    out = {"id": record.id, "source": source, "stage": error.stage, "message": error.message}
    if error.hint:
        out["hint"] = error.hint
    return out


def process_records(nlp: Pipeline, records: list[Record]) -> list[Result]:
    """Annotate a batch; if the batch fails, retry its documents one by one to isolate the bad one."""
    results: dict[int, Result] = {}
    docs: list[tuple[int, Document]] = []
    for i, record in enumerate(records):
        if record.error is not None:
            results[i] = (record.id, None, _error_record(record, record.error, record.source), 0)
        else:
            docs.append((i, record.to_document()))
    try:
        nlp.process([doc for _, doc in docs])
        done = [(i, doc, None) for i, doc in docs]
    except DocumentError:
        done = []
        for i, doc in docs:
            try:
                nlp.process([doc])
                done.append((i, doc, None))
            except DocumentError as error:
                done.append((i, doc, error))
    for i, doc, error in done:
        source = doc.meta.get("source", "")
        if error is not None:
            results[i] = (doc.id, None, _error_record(doc, error, source), 0)
        else:
            results[i] = (doc.id, doc.to_json(), None, count_syllables(doc.text))
    if docs:
        _freeze_loaded_models()
    return [results[i] for i in range(len(records))]


_MODELS_FROZEN = False
_GC_OFF_FOR_LOADING = False


def _load_without_gc() -> None:
    """Switch the garbage collector off until the first batch has loaded the models: loading
    makes only objects that stay (0.2 s of collections in a 2.4 s start-up)."""
    global _GC_OFF_FOR_LOADING
    if gc.isenabled():
        gc.disable()
        _GC_OFF_FOR_LOADING = True


def _freeze_loaded_models() -> None:
    """Once the first batch has loaded the models (lazily), hide every object alive now from the
    garbage collector: models, dictionaries and caches live as long as the process, yet each
    full collection walked all ~100,000 of them (0.8 s of GC in 300 articles; 0.25 s after this).
    Frozen objects are still freed by reference counting; only cycles among them never are.
    The collector comes back on if :func:`_load_without_gc` switched it off."""
    global _MODELS_FROZEN
    if not _MODELS_FROZEN:
        _MODELS_FROZEN = True
        gc.freeze()
    _gc_back_on()


def _gc_back_on() -> None:
    """Undo :func:`_load_without_gc` (and nothing else: a caller's own gc.disable() stays)."""
    global _GC_OFF_FOR_LOADING
    if _GC_OFF_FOR_LOADING:
        _GC_OFF_FOR_LOADING = False
        gc.enable()


def process_in_batches(nlp: Pipeline, records: list[Record], batch_size: int) -> list[Result]:
    """:func:`process_records` over ``records`` a batch at a time (a failing batch is retried alone)."""
    return [result for batch in _batches(records, batch_size) for result in process_records(nlp, batch)]


def _init_worker(spec: PipelineSpec) -> None:
    global _WORKER_NLP
    # Ctrl-C reaches the whole process group: only the parent acts on it, and lets the
    # workers finish the batch in hand, so no worker dies with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _load_without_gc()
    _WORKER_NLP = spec.build()


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed (SIGKILL, the OOM killer) exits instead of idling forever."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _worker_batch(records: list[Record]) -> list[Result]:
    assert _WORKER_NLP is not None
    return process_records(_WORKER_NLP, records)


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def _ordered_parallel(
    batches: Iterator[list[Record]], spec: PipelineSpec, workers: int
) -> Iterator[list[Result]]:
    """Batches through a process pool, results in input order, a bounded number in flight."""
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(spec,)) as pool:
        pending: deque = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(_worker_batch, batch))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def run(
    inputs: list[str],
    output: str = STDOUT,
    *,
    spec: PipelineSpec = PipelineSpec(),
    workers: int = 1,
    engine: str = "processes",
    scheduler: str | None = None,
    partition_size: int = 500,
    resume: bool = False,
    errors_path: str | None = None,
    text_field: str = "text",
    id_field: str = "id",
    input_format: str = "auto",
    batch_size: int = 16,
    progress: Callable[[int, int], None] | None = None,
    date_field: str = "date",
) -> RunSummary:
    """Annotate every input document and write one JSONL line per document.

    ``engine="processes"`` uses ``workers`` processes on this machine;
    ``engine="dask"`` sends partitions of ``partition_size`` documents to the Dask
    cluster at ``scheduler`` (or to a local one with ``workers`` workers).
    ``progress(documents, syllables)`` is called after each batch.
    """
    if engine not in ENGINES:
        raise UsageError(f"Unknown engine {engine!r}", hint=f"Use one of: {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise UsageError("A scheduler address is for the Dask engine", hint="Add --engine dask")
    if engine == "dask" and scheduler and output == STDOUT:
        raise UsageError(
            "A Dask cluster writes its partitions next to the output, which must be a file its workers can reach",
            hint="Pass --output /shared/path/out.jsonl on storage mounted on every machine",
        )
    if engine == "dask":
        spec = _prepared_for_dask(spec)
    if errors_path is None and output != STDOUT:
        errors_path = str(Path(output).with_suffix("")) + ".errors.jsonl"
    summary = RunSummary(output=output, errors_path=errors_path)
    started = time.perf_counter()
    writer = JsonlWriter(output, resume=resume)
    errors = ErrorLog(errors_path, resume=resume)
    records_in = read_records(inputs, text_field=text_field, id_field=id_field, input_format=input_format,
                              date_field=date_field)
    try:
        in_process = engine == "processes" and workers <= 1
        if in_process:
            _load_without_gc()
        nlp = spec.build() if in_process else None  # Ctrl-C here is an interruption too
        summary.stages = nlp.versions if nlp else {}
        with writer:
            done = writer.done_ids | errors.done_ids

            def todo() -> Iterator[Record]:
                for record in records_in:
                    if record.id in done:
                        summary.skipped += 1
                    else:
                        yield record

            if engine == "dask":
                results = _on_dask(todo(), spec, output, workers, scheduler, partition_size, batch_size)
            elif nlp is not None:
                results = (process_records(nlp, batch) for batch in _batches(todo(), batch_size))
            else:
                results = _ordered_parallel(_batches(todo(), batch_size), spec, workers)
            with closing(results):  # on Ctrl-C or an error, workers and clusters are shut down here
                for batch_results in results:
                    _write_results(batch_results, writer, errors, summary)
                    if progress:
                        progress(summary.documents + summary.errors, summary.syllables)
            writer.succeeded = True
    except KeyboardInterrupt:
        summary.interrupted = True
    except OSError as error:  # only writing raises it here: readers and engines report their own failures
        raise OutputError(
            f"Could not write the output ({error.strerror or error})",
            hint="Free disk space (or fix the path), then re-run the same command with --resume",
        ) from error
    finally:
        _gc_back_on()  # when no document reached the models
        errors.close()
        summary.seconds = time.perf_counter() - started
    return summary


def _on_dask(
    records: Iterator[Record], spec: PipelineSpec, output: str, workers: int, scheduler: str | None,
    partition_size: int, batch_size: int,
) -> Iterator[list[Result]]:
    from .engines.dask import annotate_partitions  # an optional extra: imported only when asked for

    # the partition files go next to the output, which a remote cluster's workers can reach
    work_dir = output + ".parts" if output != STDOUT else tempfile.mkdtemp(prefix="vnpipe-parts-")
    return annotate_partitions(
        _batches(records, partition_size), spec, scheduler=scheduler, workers=workers,
        work_dir=work_dir, batch_size=batch_size,
    )


def _prepared_for_dask(spec: PipelineSpec) -> PipelineSpec:
    """Check that dask is installed and the config is sound before any output is opened (a
    mistake is a usage error, not a failed task on every worker), and make the config path
    absolute: workers do not share this process's working directory."""
    from .engines.dask import import_distributed

    import_distributed()
    load_config(spec.config, dict(spec.overrides))
    return replace(spec, config=str(Path(spec.config).resolve())) if spec.config else spec


def _write_results(batch_results: list[Result], writer: JsonlWriter, errors: ErrorLog, summary: RunSummary) -> None:
    for _, line, error, syllables in batch_results:
        if line is not None:
            writer.write(line)
            summary.documents += 1
            summary.syllables += syllables
        else:
            errors.write(error)
            summary.errors += 1
    writer.flush()
