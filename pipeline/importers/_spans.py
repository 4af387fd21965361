"""Checks for formats that give character offsets directly (doccano, Label Studio, Prodigy)."""
from __future__ import annotations

from typing import Any

from .base import ImportStats


def checked_span(text: str, start: Any, end: Any, label: Any, stats: ImportStats,
                 surface: str | None = None) -> tuple[int, int, str] | None:
    """The span with whitespace trimmed from its edges, or None (counted as lost) when its
    offsets are not inside the text or, if the source gives the span's text, do not point at it."""
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        stats.lose(f"offsets ({start}, {end}) outside a text of {len(text)} characters")
        return None
    if not isinstance(label, str) or not label:
        stats.lose(f"span without a label: {label!r}")
        return None
    if surface is not None and text[start:end] != surface:
        if text[start:end].strip() != surface.strip():
            stats.lose(f"span text {surface[:30]!r} is not at its offsets (misaligned)")
            return None
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        stats.lose("span covers only whitespace")
        return None
    return start, end, label
