"""Rules around the NER model: clean-up, gazetteers, cued names and span repair.

The trained model (``models/ner``) does most of the work; these rules fix what a
model trained on government news gets wrong in general news, each one a general
mechanism measured on the dev sets (numbers in docs/performance.md):

- :func:`clean_entities` drops punctuation at span edges and spans with unbalanced quotes;
- :func:`gazetteer_patterns` labels known places the model left alone;
- :class:`CuedNames` labels a name after a cue word the model left alone
  ("chị Minh" → PERSON, "sang Nhật" → LOCATION);
- :class:`SpanRules` repairs finished spans at syllable level: honorifics move out of
  names ("Ông Bích" → "Bích"), verbs glued to a name go ("Minh ôm" → "Minh"), and a
  Vietnamese full name labelled as a place or body becomes a PERSON ("Nguyễn Thị Ký").

>>> rules = SpanRules(frozenset({"ông"}), frozenset({"nguyễn"}), frozenset(), frozenset({"đường"}))
>>> text = "Ông Bích hào hứng kể về Nguyễn Thị Ký và đường Nguyễn Trãi."
>>> rules.refine(text, 0, 17, "PERSON"), rules.refine(text, 24, 37, "LOCATION"), rules.refine(text, 47, 58, "LOCATION")
((4, 8, 'PERSON'), (24, 37, 'PERSON'), (47, 58, 'LOCATION'))
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import resolve_path
from .lexicon import match_key, phrase_key
from .resources import read_lines

if TYPE_CHECKING:
    from spacy.tokens import Span

_PAIRS = {"“": "”", "\"": "\"", "«": "»", "‘": "’", "(": ")", "[": "]"}


def _trim_punctuation(ent: "Span") -> "Span | None":
    """An entity never starts or ends with punctuation ("huyện;" -> "huyện"), and an entity
    that opens a quote or bracket without closing it ("Phòng trào “Đắk Nông") is dropped."""
    from spacy.tokens import Span

    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if start == end:
        return None
    inside = [t.text for t in doc[start:end]]
    for opener, closer in _PAIRS.items():
        if opener == closer:
            if inside.count(opener) % 2:
                return None
        elif inside.count(opener) != inside.count(closer):
            return None
    return ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label_)


def clean_entities(doc):
    """spaCy component between the model and the gazetteer (so the gazetteer can fill what is dropped)."""
    doc.ents = [span for span in (_trim_punctuation(e) for e in doc.ents) if span is not None]
    return doc


def phrase_keys(paths: list[str], base_dir: Path) -> set[str]:
    """Token norms of every line of the given resource files."""
    return set().union(*(_file_phrase_keys(resolve_path(path, base_dir)) for path in paths))


@lru_cache(maxsize=64)
def _file_phrase_keys(path: Path) -> frozenset[str]:
    # the gazetteers serve several rules (patterns, not-names, known places): read each file once
    return frozenset(phrase_key(line) for line in read_lines(path))


def gazetteer_patterns(settings: dict[str, Any], base_dir: Path) -> list[dict[str, Any]]:
    """EntityRuler token patterns for LOCATION, matched on vnpipe norms (tone- and case-folded).

    - a unit word followed by a known place name: "huyện Đắk Song", "TP. Hồ Chí Minh";
    - a capitalised province, country or world-city name alone: "Đắk Nông", "Trung Quốc".
    """
    places = phrase_keys(settings.get("gazetteer_places", []), base_dir)
    bare = phrase_keys(settings.get("gazetteer_bare", []), base_dir)
    bare -= {phrase_key(n) for n in settings.get("gazetteer_bare_exclude", [])}
    units = sorted({phrase_key(u) for u in settings.get("unit_words", [])})
    if not (places or bare):
        return []
    return [
        {"label": "LOCATION", "pattern": [{"NORM": {"IN": units}}, {"NORM": {"IN": sorted(places | bare)}}]},
        {"label": "LOCATION", "pattern": [{"NORM": {"IN": sorted(bare)}, "IS_LOWER": False}]},
    ]


@dataclass(frozen=True)
class Cue:
    """Names after a cue word get ``label``: any capitalised run (``names`` empty) or one known name."""

    label: str
    words: frozenset[str]
    names: frozenset[str] = frozenset()
    max_tokens: int = 4


@dataclass(frozen=True)
class CuedNames:
    """A capitalised run right after a cue word is a name ("chị Minh", "ông Trần Văn An",
    "sang Nhật"). Applied after the model, only where it found nothing; a run stops at the
    first token that is not capitalised or is a known title/organisation word ("ông Bí thư").
    """

    cues: tuple[Cue, ...]
    not_names: frozenset[str]

    def add_to(self, spacy_doc) -> None:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        taken = {i for ent in spacy_doc.ents for i in range(ent.start, ent.end)}
        found = []
        for i in range(len(spacy_doc) - 1):
            if i in taken or (found and i < found[-1].end):
                continue
            for cue in self.cues:
                if spacy_doc[i].norm_ in cue.words:
                    end = self._run_end(spacy_doc, i + 1, cue, taken)
                    if end > i + 1:
                        found.append(Span(spacy_doc, i + 1, end, label=cue.label))
                        break
        if found:
            spacy_doc.ents = filter_spans(list(spacy_doc.ents) + found)

    def _run_end(self, spacy_doc, start: int, cue: Cue, taken: set[int]) -> int:
        if cue.names:
            token = spacy_doc[start]
            known = start not in taken and token.text[:1].isupper() and token.norm_ in cue.names
            return start + 1 if known else start
        end = start
        while (end < len(spacy_doc) and end - start < cue.max_tokens and end not in taken
               and spacy_doc[end].text[:1].isupper() and spacy_doc[end].norm_ not in self.not_names
               and not spacy_doc[end].is_punct):
            end += 1
        return end


_PIECE = re.compile(r"\S+")


@dataclass(frozen=True)
class SpanRules:
    """Syllable-level repair of finished entity spans (character offsets into ``text``).

    All word lists are phrase keys (:func:`pipeline.lexicon.phrase_key`): ``honorifics`` and
    ``surnames``; ``known_places``, place names that look like people ("Hà Nội", "Lê Chân");
    ``place_words``, the words after which a name is a place ("đường Nguyễn Trãi").
    """

    honorifics: frozenset[str]
    surnames: frozenset[str]
    known_places: frozenset[str]
    place_words: frozenset[str]
    max_name_syllables: int = 4

    def refine(self, text: str, start: int, end: int, label: str) -> tuple[int, int, str] | None:
        pieces = [(m.start(), m.end()) for m in _PIECE.finditer(text, start, end)]
        return self._refine(pieces, text, label)

    def _refine(self, pieces: list[tuple[int, int]], text: str, label: str) -> tuple[int, int, str] | None:
        def word(i: int) -> str:
            return text[pieces[i][0]:pieces[i][1]]

        # "Ông Bích", "Anh Hằng": the honorific goes, what is left is a person
        while len(pieces) > 1 and match_key(word(0)) in self.honorifics and word(1)[:1].isupper():
            pieces, label = pieces[1:], "PERSON"
        if label == "PERSON":  # "Minh ôm", "Bích hào hứng": names are capitalised
            while len(pieces) > 1 and word(-1)[:1].islower():
                pieces = pieces[:-1]
        elif label in ("LOCATION", "ORGANIZATION") and self._looks_like_person(pieces, text):
            label = "PERSON"
        if not pieces:
            return None
        return pieces[0][0], pieces[-1][1], label

    def _looks_like_person(self, pieces: list[tuple[int, int]], text: str) -> bool:
        words = [text[s:e] for s, e in pieces]
        if not 2 <= len(words) <= self.max_name_syllables or match_key(words[0]) not in self.surnames:
            return False
        if not all(w[:1].isupper() and w.isalpha() for w in words):
            return False
        if phrase_key(" ".join(words)) in self.known_places:
            return False
        before = text[: pieces[0][0]].split()
        return not before or match_key(before[-1]) not in self.place_words


_OPENERS = frozenset({".", "!", "?", "…", ":", "“", "\"", "‘", "'", "«", "(", "-", "–", "—"})


@dataclass(frozen=True)
class GivenNames:
    """A capitalised word in mid-sentence made only of given-name syllables is a PERSON
    ("của Lâm", "hỏi Thuỳ Trâm"), where the model found nothing.

    Sentence-initial words and words after an opening quote are left alone: capitals
    there say nothing. A word after a place word is a place ("xóm Đông").
    """

    syllables: frozenset[str]
    place_words: frozenset[str]
    max_tokens: int = 3

    def add_to(self, spacy_doc) -> None:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        taken = {i for ent in spacy_doc.ents for i in range(ent.start, ent.end)}
        found, i, n = [], 1, len(spacy_doc)
        while i < n:
            previous = spacy_doc[i - 1]
            if (i in taken or not self._is_name(spacy_doc[i].text) or previous.text in _OPENERS
                    or previous.norm_ in self.place_words):
                i += 1
                continue
            end = i + 1
            while end < n and end - i < self.max_tokens and end not in taken and self._is_name(spacy_doc[end].text):
                end += 1
            found.append(Span(spacy_doc, i, end, label="PERSON"))
            i = end
        if found:
            spacy_doc.ents = filter_spans(list(spacy_doc.ents) + found)

    def _is_name(self, text: str) -> bool:
        pieces = text.split()
        return bool(pieces) and all(p[:1].isupper() and match_key(p) in self.syllables for p in pieces)
