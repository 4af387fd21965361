"""The :class:`Pipeline`: stages from ``configs/pipeline.cfg`` run over documents.

Every stage has one interface: a batch of :class:`~pipeline.document.Document`
in, the same documents out (annotated in place). Stages are found by name in
``STAGES``; a later stage (entities, slogans) plugs in by adding its module
there and its name to the config, without touching the runner.

>>> from pipeline import load
>>> nlp = load()
>>> doc = nlp("Đồng chí Ngô Đức Trọng - Phó Bí thư Huyện ủy phát biểu.")
>>> [doc.token_text(t) for t in doc.tokens][:4]
['Đồng chí', 'Ngô Đức Trọng', '-', 'Phó Bí thư']
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Iterable, Iterator, Protocol, Sequence

from . import __version__
from .config import load_config
from .document import Document
from .errors import ConfigError, DocumentError, VnpipeError

# name -> module with a ``create(settings: dict, base_dir: Path) -> Stage`` function
STAGES: dict[str, str] = {
    "normalize": "pipeline.stages.normalize",
    "sentences": "pipeline.stages.sentences",
    "segment": "pipeline.stages.segment",
    "entities": "pipeline.stages.entities",
    "relations": "pipeline.stages.relations",
    "places": "pipeline.stages.places",
    "slogans": "pipeline.stages.slogans",
}


def _needed(name: str, names: list[str]) -> list[str]:
    """The stages ``name`` needs: its module's ``REQUIRES`` (and theirs), else every earlier stage."""
    requires = getattr(importlib.import_module(STAGES[name]), "REQUIRES", None) if name in STAGES else None
    if requires is None:
        return names[: names.index(name)]
    needed = [r for r in requires if r in names]
    return [n for n in names if n in needed or any(n in _needed(r, names) for r in needed)]


class Stage(Protocol):
    name: str

    @property
    def version(self) -> str: ...

    def __call__(self, docs: list[Document]) -> list[Document]: ...


def create_stage(name: str, settings: dict[str, Any], base_dir: Path) -> Stage:
    if name not in STAGES:
        raise ConfigError(f"Unknown stage {name!r}", hint=f"Known stages: {', '.join(STAGES)}")
    module = importlib.import_module(STAGES[name])
    return module.create(dict(settings), base_dir)


class Pipeline:
    """Runs stages in order. ``requested`` limits which stages run on a document that
    has already been through the earlier ones (``vnpipe segment`` on normalized JSONL)."""

    def __init__(self, stages: Sequence[Stage], batch_size: int = 32, requested: Iterable[str] | None = None):
        self.stages = list(stages)
        self.batch_size = batch_size
        self.requested = set(requested) if requested is not None else {s.name for s in self.stages}

    @property
    def stage_names(self) -> list[str]:
        return [stage.name for stage in self.stages]

    @property
    def versions(self) -> dict[str, str]:
        return {stage.name: stage.version for stage in self.stages}

    def __call__(self, text: str | Document, id: str = "doc") -> Document:
        doc = text if isinstance(text, Document) else Document(id=id, text=text)
        return self.process([doc])[0]

    def pipe(self, items: Iterable[str | Document], batch_size: int | None = None) -> Iterator[Document]:
        """Annotate a stream of texts or documents lazily, ``batch_size`` at a time."""
        size = batch_size or self.batch_size
        batch: list[Document] = []
        for i, item in enumerate(items):
            batch.append(item if isinstance(item, Document) else Document(id=str(i), text=item))
            if len(batch) >= size:
                yield from self.process(batch)
                batch = []
        if batch:
            yield from self.process(batch)

    def process(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            doc.meta.setdefault("vnpipe", __version__)
        for stage in self.stages:
            todo = [d for d in docs if stage.name in self.requested or stage.name not in d.stages]
            if todo:
                try:
                    stage(todo)
                except VnpipeError:
                    raise
                except Exception as err:  # a bug or bad input inside a stage: blame the stage
                    raise DocumentError(f"{type(err).__name__}: {err}", stage=stage.name) from err
                for doc in todo:
                    doc.stages[stage.name] = stage.version
        return docs


def load(
    config: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    stages: Iterable[str] | None = None,
) -> Pipeline:
    """Build the pipeline from ``configs/pipeline.cfg`` (or ``config``).

    ``stages`` names the stages to run (default: all in the config); earlier stages
    are kept so that raw text given to e.g. ``stages=["segment"]`` still gets normalized.
    """
    cfg, base_dir = load_config(config, overrides)
    pipeline_cfg = cfg.get("pipeline", {})
    names = list(pipeline_cfg.get("stages", []))
    requested = list(stages) if stages is not None else names
    unknown = [name for name in requested if name not in names]
    if unknown:
        raise ConfigError(
            f"Stage(s) {', '.join(unknown)} not in the config's [pipeline] stages",
            hint=f"Configured stages: {', '.join(names)}",
        )
    keep = set(requested) | {needed for name in requested for needed in _needed(name, names)}
    built = [create_stage(name, cfg.get(name, {}), base_dir) for name in names if name in keep]
    return Pipeline(built, batch_size=int(pipeline_cfg.get("batch_size", 32)), requested=requested)
