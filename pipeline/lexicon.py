"""The domain lexicon: multi-syllable words the segmenter must keep whole.

Entries live in ``configs/lexicon/*.txt`` (one per line). They are split into
syllables with the same tokenizer as the text and compared on folded syllables
(:func:`pipeline.tones.fold`), so "Huyện uỷ", "Huyện ủy" and "HUYỆN ỦY" all match
the entry "Huyện ủy". An entry written in title case ("Sông Cầu", "Đức Trọng") is a
name: it only matches where every syllable is capitalised in the text too, so the
common phrase "sông cầu" is left alone.

>>> lex = Lexicon(["Phó Bí thư", "Bí thư", "Huyện ủy", "Sông Cầu"])
>>> lex.matches(["phó", "bí", "thư", "huyện", "ủy"])
[(0, 3), (3, 5)]
>>> lex.matches(["sông", "cầu"], capitalised=[False, False]), lex.matches(["sông", "cầu"], capitalised=[True, True])
([], [(0, 2)])
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from .resources import fingerprint, read_lines
from .syllables import syllables
from .tones import fold

APOSTROPHES = str.maketrans({"'": "’", "‘": "’", "`": "’", "ʼ": "’"})


def match_key(syllable: str) -> str:
    """How a syllable is compared with lexicon entries: folded, one apostrophe."""
    folded = fold(syllable)
    return folded if folded.isalnum() else folded.translate(APOSTROPHES)  # translate is slow; most keys are plain


def phrase_key(phrase: str) -> str:
    """A written phrase as vnpipe would write a one-word token's norm: each space-separated
    piece folded by :func:`match_key`, joined by single spaces ("Đắk  Song" -> "đắk song")."""
    return " ".join(match_key(piece) for piece in phrase.split())


class Lexicon:
    def __init__(self, entries: Iterable[str]):
        keyed: dict[str, dict[tuple[str, ...], bool]] = {}
        for entry in entries:
            pieces = [text for _, _, text in syllables(entry)]
            if len(pieces) < 2:  # a single syllable is already one word
                continue
            keys = tuple(match_key(text) for text in pieces)
            is_name = all(p[:1].isupper() for p in pieces if p[:1].isalpha())
            rests = keyed.setdefault(keys[0], {})
            rests[keys[1:]] = rests.get(keys[1:], True) and is_name  # any lower-case spelling: not only a name
        # per first syllable, the continuations grouped by length, longest first: the first hit
        # is the longest match, found with one lookup per length ("xã" begins hundreds of entries)
        self._by_first: dict[str, list[tuple[int, dict[tuple[str, ...], bool]]]] = {}
        for first, rests in keyed.items():
            by_length: dict[int, dict[tuple[str, ...], bool]] = {}
            for rest, is_name in rests.items():
                by_length.setdefault(len(rest), {})[rest] = is_name
            self._by_first[first] = sorted(by_length.items(), reverse=True)
        self.size = sum(len(rests) for rests in keyed.values())
        self.fingerprint = fingerprint(sorted((k, sorted(v.items())) for k, v in keyed.items()))

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> "Lexicon":
        entries: list[str] = []
        for path in paths:
            entries.extend(read_lines(Path(path)))
        return cls(entries)

    def entries(self) -> Iterable[str]:
        """Every entry as folded syllables joined by spaces (for the CRF dictionary)."""
        for first, groups in self._by_first.items():
            for _, rests in groups:
                for rest in rests:
                    yield " ".join((first, *rest))

    def matches(
        self, keys: Sequence[str], can_join: Sequence[bool] | None = None, capitalised: Sequence[bool] | None = None
    ) -> list[tuple[int, int]]:
        """Leftmost-longest, non-overlapping matches over syllable keys.

        ``can_join[i]`` says whether syllables ``i`` and ``i + 1`` may be one word
        (no line break or invisible character between them); ``capitalised[i]``
        whether syllable ``i`` starts with a capital (names need it)."""
        found = []
        by_first = self._by_first
        n = len(keys)
        after = 0  # the end of the last match: matches do not overlap
        for i in [i for i, key in enumerate(keys) if key in by_first]:  # most syllables start no entry
            if i < after:
                continue
            for length, rests in by_first[keys[i]]:
                j = i + 1 + length
                is_name = rests.get(tuple(keys[i + 1 : j])) if j <= n else None
                if is_name is None:
                    continue
                if can_join is not None and not all(can_join[i : j - 1]):
                    continue
                if is_name and capitalised is not None and not all(capitalised[i:j]):
                    continue
                found.append((i, j))
                after = j
                break
        return found
