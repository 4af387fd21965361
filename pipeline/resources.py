"""Small helpers for the text resources in ``configs/`` (pattern lists, lexicons)."""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Iterable

from .errors import ConfigError, ModelError


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a UTF-8 resource file, without ``#`` comment lines."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ConfigError(f"Resource file not found: {path}", hint="Check the path in configs/pipeline.cfg") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"Resource file is not UTF-8: {path} (byte {err.start})") from err
    lines = (line.strip() for line in raw.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def fingerprint(*parts: object) -> str:
    """A short stable hash of settings and resources, recorded in each stage's version.

    Sets are hashed in sorted order: their repr follows string hashing, which changes from
    one process to the next, and two workers must record the same version.

    >>> fingerprint({"b", "a"}) == fingerprint(frozenset({"a", "b"}))
    True
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(_stable(part)).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:8]


def _stable(value: object) -> object:
    """``value`` with every set sorted, inside lists, tuples, dicts and dataclasses too."""
    if isinstance(value, (str, int, float)) or value is None:  # most of a large resource's leaves
        return value
    if isinstance(value, (set, frozenset)):
        return sorted((_stable(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return type(value)(_stable(v) for v in value)
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, [(f.name, _stable(getattr(value, f.name))) for f in dataclasses.fields(value)])
    return value


def file_hash(paths: Iterable[Path]) -> str:
    """A short sha256 over the bytes of the files, in sorted path order (corpus and config hashes in model meta)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_model_meta(model_dir: Path, what: str, command: str, setting: str) -> dict:
    """A shipped model's meta.json, or a ModelError saying how to get the model."""
    import json

    meta_path = model_dir / "meta.json"
    if not meta_path.is_file():
        raise ModelError(f"{what} model not found: {model_dir}",
                         hint=f"Train it with `{command}`, or point {setting} in configs/pipeline.cfg at a model")
    return json.loads(meta_path.read_text(encoding="utf-8"))
