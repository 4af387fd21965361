"""Find, read and override the pipeline configuration (``configs/pipeline.cfg``).

The config is a confection ``.cfg`` file, the format spaCy uses for training.
``--set section.key=value`` overrides any value; values are parsed as JSON when
they look like JSON (``true``, ``3``, ``["a"]``) and kept as strings otherwise.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable

from confection import Config

from .errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DEFAULT_CONFIG_NAME = "pipeline.cfg"


def configs_dir() -> Path:
    """The configs/ directory: $VNPIPE_CONFIGS, else the one beside the package."""
    env = os.environ.get("VNPIPE_CONFIGS")
    return Path(env) if env else PROJECT_DIR / "configs"


def models_dir() -> Path:
    """The models/ directory: $VNPIPE_MODELS, else the one beside the package."""
    env = os.environ.get("VNPIPE_MODELS")
    return Path(env) if env else PROJECT_DIR / "models"


def parse_overrides(pairs: Iterable[str]) -> dict[str, Any]:
    """Turn ``["segment.lexicon_wins=false"]`` into ``{"segment.lexicon_wins": False}``."""
    overrides: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or "." not in key:
            raise ConfigError(
                f"Cannot read override {pair!r}",
                hint="Write it as section.key=value, e.g. --set segment.lexicon_wins=false",
            )
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        overrides[key.strip()] = value
    return overrides


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> tuple[Config, Path]:
    """Read a pipeline config and apply overrides; returns the config and its directory."""
    path = Path(path) if path else configs_dir() / DEFAULT_CONFIG_NAME
    if not path.is_file():
        raise ConfigError(
            f"Config file not found: {path}",
            hint="Pass --config PATH, or set VNPIPE_CONFIGS to the directory holding pipeline.cfg",
        )
    try:
        config = Config().from_disk(path, interpolate=True)
    except Exception as err:  # confection raises several exception types for syntax errors
        raise ConfigError(f"Cannot parse config {path}: {err}") from err
    for key, value in (overrides or {}).items():
        section, _, name = key.rpartition(".")
        node = config
        for part in section.split("."):
            if part not in node or not isinstance(node[part], dict):
                raise ConfigError(
                    f"Unknown config section {section!r} in override {key}",
                    hint=f"Sections in {path.name}: {', '.join(sorted(config))}",
                )
            node = node[part]
        node[name] = value
    return config, path.parent


def resolve_path(value: str | Path, base: Path) -> Path:
    """A config path relative to the config file's directory (absolute paths pass through)."""
    path = Path(value)
    return path if path.is_absolute() else base / path
