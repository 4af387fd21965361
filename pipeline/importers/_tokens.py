"""Token sequences to raw text, and tag sequences to spans: shared by every token format.

>>> text, offsets = detokenize(["Ông", "Lê Văn An", "(", "Hà Nội", ")", "nói", ":", '"', "Chào", '"', "."])
>>> text
'Ông Lê Văn An (Hà Nội) nói: "Chào".'
>>> [text[s:e] for s, e in offsets][:3]
['Ông', 'Lê Văn An', '(']
>>> tag_spans(["B-PER", "E-PER", "O", "I-LOC", "S-ORG"])
[(0, 2, 'PER'), (3, 4, 'LOC'), (4, 5, 'ORG')]
"""
from __future__ import annotations

from typing import Sequence

from .base import ImportStats

# No space before these (closing punctuation) and none after those (opening brackets and quotes).
_NO_SPACE_BEFORE = frozenset([",", ".", ";", ":", "!", "?", ")", "]", "}", "…", "...", "%", "”", "’", "»"])
_NO_SPACE_AFTER = frozenset(["(", "[", "{", "“", "‘", "«"])
# Straight quotes open and close alternately within a document.
_STRAIGHT_QUOTES = frozenset(['"', "'"])

TokenOffsets = list[tuple[int, int]]


def detokenize(tokens: Sequence[str], plain: bool = False) -> tuple[str, TokenOffsets]:
    """Raw text from tokens (each may hold spaces) and every token's (start, end) in it.

    ``plain=True`` joins every token with one space (how the evaluators always rebuilt
    gold text); otherwise no space goes before closing punctuation or after an opening
    bracket, and straight quotes alternate between opening and closing.
    """
    parts: list[str] = []
    offsets: TokenOffsets = []
    position = 0
    glue_next = True  # no space before the first token
    open_quotes: set[str] = set()
    for token in tokens:
        glue = glue_next
        glue_next = False
        if not plain:
            if token in _STRAIGHT_QUOTES:
                if token in open_quotes:  # closing quote: sticks to what precedes it
                    open_quotes.discard(token)
                    glue = True
                else:
                    open_quotes.add(token)
                    glue_next = True
            elif token in _NO_SPACE_BEFORE:
                glue = True
            if token in _NO_SPACE_AFTER:
                glue_next = True
        if not glue:
            parts.append(" ")
            position += 1
        parts.append(token)
        offsets.append((position, position + len(token)))
        position += len(token)
    return "".join(parts), offsets


def tag_spans(tags: Sequence[str], stats: ImportStats | None = None) -> list[tuple[int, int, str]]:
    """(first token, end token, label) from IOB1, IOB2 (BIO), BIOES or BILOU tags.

    An ``I-``/``E-``/``L-`` that does not continue an entity of its label starts
    one (IOB1 and sloppy annotation both do this; ``stats`` counts them as quirks).
    A tag without a known prefix is read as ``O`` and counted as a lost entity.
    """
    spans: list[tuple[int, int, str]] = []
    current: list | None = None  # [start, end, label]

    def close() -> None:
        nonlocal current
        if current is not None:
            spans.append((current[0], current[1], current[2]))
        current = None

    for index, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if tag == "O" or tag == "_" or not tag:
            close()
        elif prefix in ("B", "S", "U") and label:
            close()
            current = [index, index + 1, label]
        elif prefix in ("I", "E", "L") and label:
            if current is not None and current[2] == label:
                current[1] = index + 1
            else:
                close()
                current = [index, index + 1, label]
                if stats is not None:
                    stats.quirk(f"entity opened by {prefix}- (IOB1, or B- missing)")
        else:
            close()
            if stats is not None:
                stats.lose(f"tag {tag[:20]!r} has no B-/I-/E-/S- prefix")
            continue
        if prefix in ("S", "U", "E", "L"):
            close()
    close()
    return spans
