"""Rules around the NER model: clean-up, gazetteers, cued names and span repair.

The trained model (``models/ner``) does most of the work; these rules fix what a
model trained on government news gets wrong in general news, each one a general
mechanism measured on the dev sets (numbers in docs/performance.md):

- :func:`clean_entities` drops punctuation at span edges and spans with unbalanced quotes;
- :class:`PlaceGazetteer` labels known places the model left alone;
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
from .syllables import CLAUSE_OPENERS
from .tones import canonical_text

if TYPE_CHECKING:
    from spacy.tokens import Span

_PAIRS = {"“": "”", "\"": "\"", "«": "»", "‘": "’", "(": ")", "[": "]"}


@lru_cache(maxsize=1)
def _pair_hashes() -> frozenset[int]:
    """spaCy's hashes of the quote and bracket characters (a token's ORTH)."""
    from spacy.strings import get_string_id

    return frozenset(get_string_id(c) for c in set(_PAIRS) | set(_PAIRS.values()))


def _trim_punctuation(ent: "Span", edge: list[bool], orths: list[int]) -> "Span | None":
    """An entity never starts or ends with punctuation ("huyện;" -> "huyện"), and an entity
    that opens a quote or bracket without closing it ("Phòng trào “Đắk Nông") is dropped.
    ``edge[i]``: token i is punctuation or space; ``orths[i]``: its text's hash."""
    from spacy.tokens import Span

    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and edge[start]:
        start += 1
    while end > start and edge[end - 1]:
        end -= 1
    if start == end:
        return None
    if not _pair_hashes().intersection(orths[start:end]):
        return ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label_)
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
    ents = doc.ents
    if not ents:
        return doc
    from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH

    # every token's flags at once: a Token object per test cost more than the rest
    columns = doc.to_array([IS_PUNCT, IS_SPACE, ORTH])
    edge = columns[:, :2].any(axis=1).tolist()
    orths = columns[:, 2].tolist()
    cleaned = [span for span in (_trim_punctuation(e, edge, orths) for e in ents) if span is not None]
    if len(cleaned) != len(ents) or any(new is not old for new, old in zip(cleaned, ents)):
        doc.ents = cleaned
    return doc


def tokens_in_entities(spacy_doc) -> set[int]:
    """Indices of the tokens inside an entity (from the IOB column: ``doc.ents`` makes a Span
    per entity). B is 3 and I is 1, the odd codes."""
    from spacy.attrs import ENT_IOB

    return set((spacy_doc.to_array(ENT_IOB) & 1).nonzero()[0].tolist())


def phrase_keys(paths: list[str], base_dir: Path) -> set[str]:
    """Token norms of every line of the given resource files."""
    return set().union(*(_file_phrase_keys(resolve_path(path, base_dir)) for path in paths))


def word_keys(settings: dict[str, Any], key: str) -> frozenset[str]:
    """The phrase keys of a word list written in the config itself (``unit_words = [...]``)."""
    return frozenset(phrase_key(word) for word in settings.get(key, []))


@lru_cache(maxsize=64)
def _file_phrase_keys(path: Path) -> frozenset[str]:
    # the gazetteers serve several rules (patterns, not-names, known places): read each file once
    return frozenset(phrase_key(line) for line in read_lines(path))


@dataclass(frozen=True)
class Words:
    """A spaCy Doc's token texts and norms as plain lists, read once for all the rules that
    scan it (a ``doc[i]`` Token object per rule and token cost as much as the rules' work)."""

    texts: list[str]
    norms: list[str]

    @classmethod
    def of(cls, spacy_doc) -> "Words":
        return cls([t.text for t in spacy_doc], [t.norm_ for t in spacy_doc])


@dataclass(frozen=True)
class PlaceGazetteer:
    """Known places, matched on vnpipe norms (tone- and case-folded), after the model:

    - a unit word followed by a known place name: "huyện Đắk Song", "TP. Hồ Chí Minh";
    - a capitalised province, country or world-city name alone: "Đắk Nông", "Trung Quốc".

    ``override=False`` ("fill") labels only tokens the model left alone; ``True`` lets the
    gazetteer win. One pass over the tokens (spaCy's EntityRuler did the same job in about
    a tenth of the entities stage's time).
    """

    units: frozenset[str]
    places: frozenset[str]  # after a unit word
    bare: frozenset[str]  # alone, capitalised
    override: bool = False

    def add_to(self, spacy_doc, words: Words | None = None) -> None:
        from spacy.tokens import Span

        words = words or Words.of(spacy_doc)
        norms = words.norms
        if self.places.isdisjoint(norms) and self.bare.isdisjoint(norms):
            return  # most sentences name no known place
        found, i, n = [], 0, len(norms)
        while i < n:
            if norms[i] in self.units and i + 1 < n and norms[i + 1] in self.places:
                found.append((i, i + 2))
                i += 2
                continue
            if norms[i] in self.bare and not words.texts[i].islower():
                found.append((i, i + 1))
            i += 1
        if not found:
            return
        ents = list(spacy_doc.ents)
        taken = {k for start, end in found for k in range(start, end)}
        if self.override:
            ents = [e for e in ents if not taken.intersection(range(e.start, e.end))]
        else:
            held = {k for e in ents for k in range(e.start, e.end)}
            found = [(start, end) for start, end in found if not held.intersection(range(start, end))]
        spacy_doc.ents = sorted(ents + [Span(spacy_doc, start, end, label="LOCATION") for start, end in found],
                                key=lambda e: e.start)


def place_gazetteer(settings: dict[str, Any], base_dir: Path, override: bool = False) -> PlaceGazetteer | None:
    """The gazetteer of ``[entities]``: ``gazetteer_places`` after ``unit_words``; ``gazetteer_bare``
    alone, less ``gazetteer_bare_exclude``."""
    places = phrase_keys(settings.get("gazetteer_places", []), base_dir)
    bare = phrase_keys(settings.get("gazetteer_bare", []), base_dir)
    bare -= {phrase_key(n) for n in settings.get("gazetteer_bare_exclude", [])}
    if not (places or bare):
        return None
    units = word_keys(settings, "unit_words")
    return PlaceGazetteer(units, frozenset(places | bare), frozenset(bare), override)


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

    def add_to(self, spacy_doc, words: Words | None = None) -> None:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        words = words or Words.of(spacy_doc)
        if all(cue.words.isdisjoint(words.norms) for cue in self.cues):
            return  # most sentences have no cue word
        taken = tokens_in_entities(spacy_doc)
        found = []
        for i in range(len(words.norms) - 1):
            if i in taken or (found and i < found[-1].end):
                continue
            for cue in self.cues:
                if words.norms[i] in cue.words:
                    end = self._run_end(words, i + 1, cue, taken)
                    if end > i + 1:
                        found.append(Span(spacy_doc, i + 1, end, label=cue.label))
                        break
        if found:
            spacy_doc.ents = filter_spans(list(spacy_doc.ents) + found)

    def _run_end(self, words: Words, start: int, cue: Cue, taken: set[int]) -> int:
        texts, norms = words.texts, words.norms
        if cue.names:
            known = start not in taken and texts[start][:1].isupper() and norms[start] in cue.names
            return start + 1 if known else start
        end = start
        # a capitalised token is never punctuation, so capitals alone end the run at punctuation
        while (end < len(texts) and end - start < cue.max_tokens and end not in taken
               and texts[end][:1].isupper() and norms[end] not in self.not_names):
            end += 1
        return end


_PIECE = re.compile(r"\S+")


def _previous_word(text: str, start: int) -> str:
    """The whitespace-separated word before ``start`` ("" at the start of the text), found by
    walking back from ``start``: splitting all the text before it made one 5 MB line quadratic."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    begin = end
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:end]


def _word_before(text: str, start: int) -> str:
    """The match key of the word just before ``start`` in the same clause ("" after punctuation)."""
    before = text[max(0, start - 20):start].split()
    return match_key(before[-1]) if before and before[-1].isalpha() else ""


def _opens_clause(text: str, start: int) -> bool:
    before = text[max(0, start - 20):start].rstrip(" \t")
    return not before or before[-1] in CLAUSE_OPENERS


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
    # a "title" that opens with a body's name and no title is that body ("Ủy ban nhân dân huyện X")
    title_starts: frozenset[str] = frozenset()
    body_starts: frozenset[str] = frozenset()
    # a country's short name alone mid-sentence is the country, not a person ("lính Mỹ"; "chị Mỹ" is a person)
    countries_short: frozenset[str] = frozenset()
    # "Nhưng", "Ai": capitalised only for opening a sentence or a quote; alone there, no entity
    function_words: frozenset[str] = frozenset()
    # "tiếng Đức", "tiếng Anh": a name after these is a language, no entity
    language_cues: frozenset[str] = frozenset()
    # "các tỉnh Tây Nguyên": a unit word after a plural word is not part of the place
    plural_words: frozenset[str] = frozenset()
    unit_words: frozenset[str] = frozenset()

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
        elif label == "POSITION" and pieces and self._opens_as_body([text[s:e] for s, e in pieces]):
            label = "ORGANIZATION"
        if label == "PERSON" and len(pieces) == 1 and match_key(word(0)) in self.countries_short:
            # after a lower-case word in the same clause: "lính Mỹ", "của Mỹ" (not "Sáng 3/2, Trung bị …")
            before = text[max(0, pieces[0][0] - 40):pieces[0][0]].split()[-1:]
            if before and before[0].isalpha() and before[0][:1].islower() \
                    and match_key(before[0]) not in self.honorifics:
                label = "LOCATION"
        if len(pieces) == 1 and match_key(word(0)) in self.function_words and _opens_clause(text, pieces[0][0]):
            return None
        if pieces and label == "LOCATION":
            before = _word_before(text, pieces[0][0])
            if before in self.language_cues:
                return None
            if before in self.plural_words:
                pieces = pieces[self._unit_length([text[s:e] for s, e in pieces]):]
        if not pieces:
            return None
        return pieces[0][0], pieces[-1][1], label

    def _unit_length(self, words: list[str]) -> int:
        """How many of ``words`` make the unit word that opens them ("thành phố", "tỉnh"; 0: none)
        -- never all of them, so a name is left."""
        return max((n for n in range(1, min(len(words) - 1, 2) + 1) if phrase_key(" ".join(words[:n])) in self.unit_words),
                   default=0)

    def _opens_as_body(self, words: list[str]) -> bool:
        keys = [match_key(word) for word in words[:6]]  # each word is one piece: its phrase key is its match key
        prefixes = [" ".join(keys[:n]) for n in range(1, len(keys) + 1)]

        def longest(starts: frozenset[str]) -> int:
            return max((n for n, prefix in enumerate(prefixes, 1) if prefix in starts), default=0)

        return longest(self.body_starts) > longest(self.title_starts)

    def _looks_like_person(self, pieces: list[tuple[int, int]], text: str) -> bool:
        words = [text[s:e] for s, e in pieces]
        if not 2 <= len(words) <= self.max_name_syllables or match_key(words[0]) not in self.surnames:
            return False
        if not all(w[:1].isupper() and w.isalpha() for w in words):
            return False
        if phrase_key(" ".join(words)) in self.known_places:
            return False
        before = _previous_word(text, pieces[0][0])
        return not before or match_key(before) not in self.place_words


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

    def add_to(self, spacy_doc, words: Words | None = None) -> None:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        words = words or Words.of(spacy_doc)
        texts = words.texts
        is_name = [text[:1].isupper() and self._is_name(text) for text in texts]
        if not any(is_name[1:]):
            return  # no candidate: skip reading the entities
        taken = tokens_in_entities(spacy_doc)
        found, i, n = [], 1, len(texts)
        while i < n:
            if (i in taken or not is_name[i] or texts[i - 1] in CLAUSE_OPENERS
                    or words.norms[i - 1] in self.place_words):
                i += 1
                continue
            end = i + 1
            while end < n and end - i < self.max_tokens and end not in taken and is_name[end]:
                end += 1
            found.append(Span(spacy_doc, i, end, label="PERSON"))
            i = end
        if found:
            spacy_doc.ents = filter_spans(list(spacy_doc.ents) + found)

    def _is_name(self, text: str) -> bool:
        pieces = text.split()
        return bool(pieces) and all(p[:1].isupper() and match_key(p) in self.syllables for p in pieces)


_WORD = re.compile(r"[^\W\d_][\w’'‘-]*")


@dataclass(frozen=True)
class NameRepair:
    """Repairs a document's finished entities where a person's name meets another span:

    - a title or body that swallowed the name after it is split: "Chủ tịch HĐND huyện Hà
      Văn Long" → POSITION "Chủ tịch HĐND huyện" + PERSON "Hà Văn Long" (a name with a middle
      name that marks people, "Văn" or "Thị"; a surname and two given syllables, "Phạm Thu
      Hằng"; or an Ê Đê name, "H’Nê Byă"), unless the run is a known place;
    - two person spans with only a space between are one name ("Jung Soo" + "Min");
    - a name is extended over an adjacent surname before it ("Triệu" + "Tư Kỳ") and over
      given-name or clan syllables after it ("H’Xíu" + "Kpơr"), when they end the capitalised run.

    Word lists are phrase keys; ``given`` holds given-name syllables and Ê Đê / Gia Rai clan names.
    """

    surnames: frozenset[str]
    given: frozenset[str]
    honorifics: frozenset[str] = frozenset()  # "Ông" is also a surname, but before a name it is a title
    known_places: frozenset[str] = frozenset()  # "Trần Văn Thời" is a district too
    named_after: tuple[str, ...] = ()  # "Trường Đại học Phạm Văn Đồng": bodies named after people (case counts)
    markers: frozenset[str] = frozenset({"văn", "thị"})
    max_syllables: int = 4

    def apply(self, text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for entity in sorted(entities, key=lambda e: e["start"]):
            for part in self._split(text, entity):
                previous = out[-1] if out else None
                if (previous and previous["label"] == part["label"] == "PERSON"
                        and text[previous["end"]:part["start"]] == " "):
                    previous["end"] = part["end"]
                else:
                    out.append(part)
        for i, entity in enumerate(out):
            if entity["label"] == "PERSON":
                low = out[i - 1]["end"] if i else 0
                high = out[i + 1]["start"] if i + 1 < len(out) else len(text)
                entity["start"], entity["end"] = self._extend(text, entity["start"], entity["end"], low, high)
        return out

    def _split(self, text: str, entity: dict[str, Any]) -> list[dict[str, Any]]:
        if entity["label"] not in ("POSITION", "ORGANIZATION"):
            return [dict(entity)]
        words = list(_WORD.finditer(text, entity["start"], entity["end"]))
        written = " " + canonical_text(" ".join(text[entity["start"]:entity["end"]].split())) + " "
        if any(f" {phrase} " in written for phrase in self.named_after):
            return [dict(entity)]
        for size in range(min(self.max_syllables, len(words) - 1), 1, -1):
            run = words[-size:]
            if run[-1].end() != entity["end"] or not all(w.group()[:1].isupper() for w in run):
                continue
            names = [w.group() for w in run]
            if self._is_name(names) and phrase_key(" ".join(names)) not in self.known_places:
                head_end = words[-size - 1].end()
                return [dict(entity, end=head_end), {**entity, "start": run[0].start(), "label": "PERSON"}]
        return [dict(entity)]

    def _is_name(self, words: list[str]) -> bool:
        first = match_key(words[0])
        if len(words) >= 3 and match_key(words[1]) in self.markers:
            return True  # a surname, "Văn" or "Thị", and a given name
        if len(words) == 3 and first in self.surnames:
            return True  # a surname and two given syllables: "Phạm Thu Hằng"
        return first.startswith("h’") and len(first) > 2  # Ê Đê women's names: "H’Nê Byă"

    def _extend(self, text: str, start: int, end: int, low: int, high: int) -> tuple[int, int]:
        syllables = len(text[start:end].split())
        before = list(_WORD.finditer(text, low, start))
        if before and before[-1].end() == start - 1 and syllables < self.max_syllables:
            word = before[-1].group()
            opens_run = (len(before) < 2 or not before[-2].group()[:1].isupper()
                         or before[-2].end() < before[-1].start() - 1)  # the surname starts the capitalised run
            key = match_key(word)
            if word[:1].isupper() and key in self.surnames and key not in self.honorifics and opens_run:
                start, syllables = before[-1].start(), syllables + 1
        after = []
        for match in _WORD.finditer(text, end, high):
            if match.start() != (after[-1].end() if after else end) + 1 or not match.group()[:1].isupper():
                break
            after.append(match)
        if after and syllables + len(after) <= self.max_syllables and all(
                match_key(w.group()) in self.given for w in after):
            end = after[-1].end()
        last = text[start:end].split()[-1]
        if text[end:end + 1] == "." and len(last) <= 2 and last.isalpha() and last[:1].isupper():
            end += 1  # an initial keeps its dot: "chị Th.", "Nguyễn Văn H."
        return start, end


TAILS_FILE = "span_tails.json"


def _tail_start(words: list[str]) -> int:
    """Where the lower-case words at the end of a span start (after its last capitalised word)."""
    k = len(words)
    while k > 0 and words[k - 1][:1].islower():
        k -= 1
    return k


def learn_span_tails(records, labels: tuple[str, ...] = ("LOCATION",)) -> dict[str, list[str]]:
    """The lower-case endings each label's gold spans have in a corpus ("Ủy ban nhân dân tỉnh" ends
    in "ban nhân dân tỉnh"): :class:`SpanTails` keeps a predicted span's ending only if it is one of them.
    Places only by default: their names end capitalised; for bodies the rule cost more than it
    gained (own dev ORGANIZATION F1 93.48 -> 90.94), their names run on in lower case too often."""
    tails: dict[str, set[str]] = {label: set() for label in labels}
    for record in records:
        for span in record.get("spans", []):
            if span["label"] in tails:
                words = record["text"][span["start"]:span["end"]].split()
                k = _tail_start(words)
                if 0 < k < len(words):
                    tails[span["label"]].add(phrase_key(" ".join(words[k:])))
    return {label: sorted(found) for label, found in tails.items()}


@dataclass(frozen=True)
class SpanTails:
    """Trims the verbs a span ran on into ("Công ty Cao su Đắk Nông khánh thành" → "Công ty Cao su
    Đắk Nông", "Doha tác nghiệp" → "Doha"): a span's lower-case ending is cut back to its longest
    start that the training corpus has as an ending of that label (``learn_span_tails``). Labels
    not in ``seen`` are left alone; a span with no capitalised word is left alone.

    >>> tails = SpanTails({"ORGANIZATION": frozenset({"ban nhân dân tỉnh"}), "LOCATION": frozenset()})
    >>> text = "Ủy ban nhân dân tỉnh tổ chức họp ở Doha tác nghiệp"
    >>> tails.trim(text, 0, 29, "ORGANIZATION"), tails.trim(text, 35, 50, "LOCATION")
    (20, 39)
    """

    seen: dict[str, frozenset[str]]

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, tuple(sorted(v))) for k, v in self.seen.items())))

    def trim(self, text: str, start: int, end: int, label: str) -> int:
        known = self.seen.get(label)
        if known is None:
            return end
        pieces = [(m.start(), m.end()) for m in _PIECE.finditer(text, start, end)]
        words = [text[s:e] for s, e in pieces]
        k = _tail_start(words)
        if k == 0 or k == len(words):
            return end
        for last in range(len(words), k, -1):
            if phrase_key(" ".join(words[k:last])) in known:
                return pieces[last - 1][1]
        return pieces[k - 1][1]


HEADS_FILE = "place_heads.json"


def learn_place_heads(records, min_count: int = 2, min_share: float = 0.75) -> list[str]:
    """Lower-case words that open LOCATION spans in a corpus ("sông", "đèo", "huyện") far more
    often than they stand just before one ("ở", "tại"): :class:`PlaceHeads` puts them back."""
    inside: dict[str, int] = {}
    outside: dict[str, int] = {}
    for record in records:
        text = record["text"]
        for span in record.get("spans", []):
            if span["label"] != "LOCATION":
                continue
            words = text[span["start"]:span["end"]].split()
            k = 0
            while k < len(words) and words[k][:1].islower():
                k += 1
            if 0 < k < len(words):
                key = phrase_key(" ".join(words[:k]))
                inside[key] = inside.get(key, 0) + 1
            before = text[:span["start"]].split()[-3:]
            for n in range(1, len(before) + 1):
                if all(w[:1].islower() and w.isalpha() for w in before[-n:]):
                    key = phrase_key(" ".join(before[-n:]))
                    outside[key] = outside.get(key, 0) + 1
    return sorted(w for w, n in inside.items() if n >= min_count and n / (n + outside.get(w, 0)) >= min_share)


@dataclass(frozen=True)
class PlaceHeads:
    """A name right after a place word that opens places ("sông", "đèo", "hẻm 51") is a place
    with that word: "đèo [Phượng Hoàng]PERSON" → "[đèo Phượng Hoàng]LOCATION". The words are
    learnt from the training corpus (:func:`learn_place_heads`); a number after the word is
    taken along ("hẻm 51 Cao Thắng").

    >>> heads = PlaceHeads(frozenset({"sông", "đèo", "hẻm"}))
    >>> text = "Vượt đèo Phượng Hoàng, về hẻm 51 Cao Thắng."
    >>> heads.extend(text, 9, "PERSON", 0), heads.extend(text, 33, "PERSON", 21)
    ((5, 'LOCATION'), (26, 'LOCATION'))
    """

    words: frozenset[str]
    max_words: int = 3
    # "các tỉnh [Tây Nguyên]": a place word after one of these names no single place, it stays out
    plural_words: frozenset[str] = frozenset()

    def extend(self, text: str, start: int, label: str, low: int) -> tuple[int, str]:
        """The span's new start and label; ``low`` is where the previous entity ends."""
        if label not in ("LOCATION", "PERSON") or not text[start:start + 1].isupper():
            return start, label
        before = list(_PIECE.finditer(text, max(low, start - 40), start))
        if before and before[-1].group().isdigit():  # "hẻm 51"
            before = before[:-1]
        before = before[-self.max_words:]
        keys = [match_key(m.group()) for m in before]  # a piece's phrase key is its match key
        for n in range(len(before), 0, -1):
            run = before[-n:]
            if " ".join(keys[-n:]) in self.words:
                if _word_before(text, run[0].start()) in self.plural_words:
                    return start, label
                return run[0].start(), "LOCATION"
        return start, label


@dataclass(frozen=True)
class BodyPlaces:
    """A body's name left unlabelled right before a place the model found is one organisation
    with it: "Ủy ban nhân dân [huyện Đắk Song]LOCATION" → "[Ủy ban nhân dân huyện Đắk
    Song]ORGANIZATION" (the guideline keeps the place inside the body's name). Only places that
    open with a unit word, and only body names from the lexicon, capitalised.

    >>> rule = BodyPlaces(frozenset({"ủy ban nhân dân"}), frozenset({"huyện"}))
    >>> text = "Hôm qua, Ủy ban nhân dân huyện Đắk Song họp."
    >>> [(text[e["start"]:e["end"]], e["label"]) for e in rule.apply(text, [{"start": 25, "end": 39, "label": "LOCATION"}])]
    [('Ủy ban nhân dân huyện Đắk Song', 'ORGANIZATION')]
    """

    bodies: frozenset[str]
    units: frozenset[str]
    max_words: int = 6

    def apply(self, text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for entity in sorted(entities, key=lambda e: e["start"]):
            low = out[-1]["end"] if out else 0
            start = self._body_start(text, entity, low) if entity["label"] == "LOCATION" else None
            out.append(dict(entity, start=start, label="ORGANIZATION") if start is not None else entity)
        return out

    def _body_start(self, text: str, entity: dict[str, Any], low: int) -> int | None:
        first = text[entity["start"]:entity["end"]].split(" ", 1)[0]
        if match_key(first) not in self.units:
            return None
        before = list(_PIECE.finditer(text, max(low, entity["start"] - 60), entity["start"]))
        if not before or before[-1].end() != entity["start"] - 1:
            return None
        for n in range(min(self.max_words, len(before)), 0, -1):
            run = before[-n:]
            adjacent = all(a.end() + 1 == b.start() for a, b in zip(run, run[1:]))
            if adjacent and run[0].group()[:1].isupper() and phrase_key(" ".join(m.group() for m in run)) in self.bodies:
                return run[0].start()
        return None
