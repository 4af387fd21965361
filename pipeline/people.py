"""One record per person of a document, whatever the spelling of each mention.

Mentions are merged when their keys are equal (case, tone style, and the space after
an apostrophe ignored: "K’Thanh" = "K’ Thanh"), and a short mention ("Tám", "Văn
Tám") joins the one full name in the document that ends with it.

>>> texts = ["Nguyễn Văn Tám", "K’Thanh", "K’ Thanh", "Tám", "Lê An", "Văn Tám", "An", "Trần An"]
>>> group_mentions(texts)
[[0, 3, 5], [1, 2], [4], [6], [7]]
"""
from __future__ import annotations

import re

from .lexicon import match_key

_AFTER_APOSTROPHE = re.compile(r"’\s+")


def person_key(text: str) -> str:
    return " ".join(match_key(w) for w in _AFTER_APOSTROPHE.sub("’", text).split())


def group_mentions(texts: list[str]) -> list[list[int]]:
    """Indices of ``texts`` grouped by person, in order of first mention."""
    keys = [person_key(t) for t in texts]
    groups: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    for key in sorted((k for k in groups if k), key=lambda k: -len(k.split())):  # longest first
        owners = [f for f in groups if f.endswith(" " + key)]
        if len(owners) == 1:
            groups[owners[0]].extend(groups.pop(key))
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])
