"""Scoring against gold annotations: word segmentation (``segment``) and entities (``ner``)."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputNotFound


def gold_files(path: Path, suffixes: tuple[str, ...], what: str = "gold") -> list[Path]:
    """A gold file, or every file with one of ``suffixes`` under a folder, sorted."""
    if not path.exists():
        raise InputNotFound(f"Gold path not found: {path}")
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in suffixes)
    if not files:
        raise InputNotFound(f"No {what} files ({', '.join(suffixes)}) under {path}")
    return files


def prf(true_positives: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0.0 where undefined)."""
    p = true_positives / predicted if predicted else 0.0
    r = true_positives / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
