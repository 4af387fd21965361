"""Small helpers for the text resources in ``configs/`` (pattern lists, lexicons)."""
from __future__ import annotations

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
    """A short stable hash of settings and resources, recorded in each stage's version."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:8]


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
